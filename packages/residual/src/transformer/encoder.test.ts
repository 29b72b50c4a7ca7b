import * as tf from '@tensorflow/tfjs-core';
import { input, loadLayersModel, model } from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { ResidualAdd } from '@resnet/blocks';
import { describe, expect, it } from 'vitest';
import { transformerEncoder, transformerEncoderBlock } from './encoder.js';
import { feedForward } from './ffn.js';
import { residualSublayer } from './sublayer.js';

const d = 8;
const dFF = 32;
const attn = 4 * d * d + 4 * d;
const ffn = 2 * d * dFF + d + dFF;
const ln = 2 * d;

function wrap(build: (x: SymbolicTensor) => SymbolicTensor, seq = 5): LayersModel {
  const x = input({ shape: [seq, d] });
  return model({ inputs: x, outputs: build(x) });
}

describe('feedForward', () => {
  it('maps [b, n, d] to [b, n, d] with 2·d·dFF + d + dFF parameters', () => {
    const m = wrap((x) => feedForward(x, { dFF, name: 'ffn' }));
    expect(m.outputs[0]!.shape).toEqual([null, 5, d]);
    expect(m.countParams()).toBe(ffn);
    expect(m.layers.map((l) => l.name)).toContain('ffn.linear2');
    m.dispose();
  });
});

describe('residualSublayer', () => {
  it('pre-norm is x + F(LN(x)) and post-norm is LN(x + F(x)), with a ResidualAdd junction', () => {
    const x = tf.randomNormal([2, 5, d], 0, 1, 'float32', 11);
    const fn = (t: SymbolicTensor) => feedForward(t, { dFF, name: 'f' });
    const pre = wrap((t) => residualSublayer(t, fn, { norm: 'pre', name: 's' }));
    const post = wrap((t) => residualSublayer(t, fn, { norm: 'post', name: 's' }));
    ['s.norm', 'f.linear1', 'f.linear2'].forEach((n) => post.getLayer(n).setWeights(pre.getLayer(n).getWeights()));
    // LayerNorm at init (gamma 1, beta 0) by hand: (v − mean) / sqrt(var + 1e-5) per row.
    const lnHand = (t: tf.Tensor) => {
      const { mean, variance } = tf.moments(t, -1, true);
      return tf.div(tf.sub(t, mean), tf.sqrt(tf.add(variance, 1e-5)));
    };
    const ffnOnly = wrap(fn);
    ['f.linear1', 'f.linear2'].forEach((n) => ffnOnly.getLayer(n).setWeights(pre.getLayer(n).getWeights()));
    const F = (t: tf.Tensor) => ffnOnly.predict(t) as tf.Tensor;
    const diff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
    tf.tidy(() => {
      expect(diff(pre.predict(x) as tf.Tensor, tf.add(x, F(lnHand(x))))).toBeLessThan(1e-4);
      expect(diff(post.predict(x) as tf.Tensor, lnHand(tf.add(x, F(x))))).toBeLessThan(1e-4);
    });
    expect(pre.layers.filter((l) => l instanceof ResidualAdd).map((l) => l.name)).toEqual(['s.add']);
    expect(() => residualSublayer(input({ shape: [2, d] }), fn, { norm: 'mid' as 'pre' })).toThrow(/norm must be 'pre' or 'post'/);
    tf.dispose(x);
    [pre, post, ffnOnly].forEach((m) => m.dispose());
  });
});

describe('transformerEncoderBlock', () => {
  it.each(['pre', 'post'] as const)('%s-norm block keeps [b, n, d] and has attention + FFN + 2 LayerNorm params', (norm) => {
    const m = wrap((x) => transformerEncoderBlock(x, { dModel: d, heads: 2, dFF, norm, dropout: 0.1, name: 'layers.0' }));
    expect(m.outputs[0]!.shape).toEqual([null, 5, d]);
    expect(m.countParams()).toBe(attn + ffn + 2 * ln);
    const names = m.layers.map((l) => l.name);
    for (const n of ['self_attn', 'linear1', 'linear2', 'norm1', 'norm2', 'dropout1', 'dropout2', 'add1', 'add2']) {
      expect(names).toContain(`layers.0.${n}`);
    }
    // Pre-norm: the block's last layer is the second junction; post-norm: LayerNorm.
    expect(m.layers.at(-1)!.name).toBe(norm === 'pre' ? 'layers.0.add2' : 'layers.0.norm2');
    m.dispose();
  });

  it('rezero adds one scalar per junction and makes a fresh block the identity', () => {
    const m = wrap((x) => transformerEncoderBlock(x, { dModel: d, heads: 2, dFF, norm: 'pre', rezero: true }));
    expect(m.countParams()).toBe(attn + ffn + 2 * ln + 2);
    const x = tf.randomNormal([2, 5, d], 0, 1, 'float32', 3);
    const y = m.predict(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, y]);
    m.dispose();
  });

  it('validates its arguments', () => {
    const x = input({ shape: [5, d] });
    expect(() => transformerEncoderBlock(x, { dModel: 6, heads: 2, dFF, norm: 'pre' })).toThrow(/expects input \[batch, seq, 6\]/);
    expect(() => transformerEncoderBlock(x, { dModel: d, heads: 3, dFF, norm: 'pre' })).toThrow(/divisible by heads/);
  });
});

describe('transformerEncoder', () => {
  it('stacks depth blocks; pre-norm adds one final LayerNorm, post-norm does not', () => {
    const pre = wrap((x) => transformerEncoder(x, { depth: 3, dModel: d, heads: 2, dFF, norm: 'pre', name: 'encoder' }));
    const post = wrap((x) => transformerEncoder(x, { depth: 3, dModel: d, heads: 2, dFF, norm: 'post', name: 'encoder' }));
    const block = attn + ffn + 2 * ln;
    expect(pre.countParams()).toBe(3 * block + ln);
    expect(post.countParams()).toBe(3 * block);
    expect(pre.getLayer('encoder.norm')).toBeDefined();
    expect(pre.layers.filter((l) => l instanceof ResidualAdd)).toHaveLength(6);
    pre.dispose();
    post.dispose();
  });

  it('a masked, causal encoder round-trips through model.json + weights with identical outputs', async () => {
    const x = input({ shape: [4, d] });
    const mask = input({ shape: [4] });
    const out = transformerEncoder(x, { depth: 2, dModel: d, heads: 2, dFF, norm: 'pre', causal: true, mask, rezero: true, dropPathRate: 0.1 });
    const m = model({ inputs: [x, mask], outputs: out });
    // ReZero scalars start at 0 (identity); give them values so the check is not trivial.
    m.setWeights(m.getWeights().map((w) => (w.rank === 0 ? tf.scalar(0.7) : w)));
    let artifacts: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    // Weights travel with the artifacts and are matched by name (dots included).
    const loaded = await loadLayersModel(tf.io.fromMemory(artifacts!));
    const xs = [tf.randomNormal([2, 4, d], 0, 1, 'float32', 9), tf.tensor2d([[1, 1, 1, 0], [1, 1, 0, 0]])];
    const a = m.predict(xs) as tf.Tensor;
    const b = loaded.predict(xs) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(tf.max(tf.abs(tf.sub(a, xs[0]!))).dataSync()[0]!).toBeGreaterThan(0.01);
    tf.dispose([...xs, a, b]);
    m.dispose();
    loaded.dispose();
  });
});
