import * as tf from '@tensorflow/tfjs-core';
import { initializers, input, loadLayersModel, model } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { HighwayGate } from './highway-gate.js';
import { highwayConv2d, highwayDense, highwayNetwork } from './highway.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('highwayDense', () => {
  it('computes H·T + x·(1 − T) for set weights (hand arithmetic)', () => {
    const inp = input({ shape: [2] });
    const m = model({ inputs: inp, outputs: highwayDense(inp, { name: 'hw', activation: 'linear' }) });
    // H = W_H x + b_H, T = sigmoid(W_T x + b_T); kernels are [in, out].
    const wh = [[1, 2], [3, 4]];
    const bh = [0.5, -0.5];
    const wt = [[0.1, -0.2], [0.3, 0.4]];
    const bt = [-1, 1];
    m.getLayer('hw.h').setWeights([tf.tensor2d(wh), tf.tensor1d(bh)]);
    m.getLayer('hw.t').setWeights([tf.tensor2d(wt), tf.tensor1d(bt)]);
    const x = [1, -2];
    const expected = [0, 1].map((j) => {
      const h = x[0]! * wh[0]![j]! + x[1]! * wh[1]![j]! + bh[j]!;
      const t = sigmoid(x[0]! * wt[0]![j]! + x[1]! * wt[1]![j]! + bt[j]!);
      return h * t + x[j]! * (1 - t);
    });
    const y = m.predict(tf.tensor2d([x])) as tf.Tensor;
    const got = Array.from(y.dataSync());
    got.forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 5));
    expect(m.countParams()).toBe(2 * (2 * 2 + 2));
    tf.dispose([y]);
    m.dispose();
  });

  it('passes its input through nearly unchanged at init, more so as the gate bias falls', () => {
    const x = tf.randomNormal([64, 32], 0, 1, 'float32', 7);
    const relChange = (gateBias: number) => {
      const inp = input({ shape: [32] });
      // The same seeded kernels at every bias, so only the bias differs between the three.
      const m = model({ inputs: inp, outputs: highwayDense(inp, { gateBias, kernelInitializer: initializers.heNormal({ seed: 3 }) }) });
      const y = m.predict(x) as tf.Tensor;
      const r = tf.tidy(() => tf.div(tf.norm(tf.sub(y, x)), tf.norm(x)).dataSync()[0]!);
      const t = tf.tidy(() =>
        tf.mean(model({ inputs: inp, outputs: m.getLayer('t').output as SymbolicTensor }).predict(x) as tf.Tensor).dataSync()[0]!,
      );
      y.dispose();
      m.dispose();
      return { r, t };
    };
    const at0 = relChange(0);
    const atM2 = relChange(-2);
    const atM20 = relChange(-20);
    console.log(`highway relative change ||y-x||/||x|| at init: bias 0 -> ${at0.r.toFixed(3)}, -2 -> ${atM2.r.toFixed(3)}, -20 -> ${atM20.r.toExponential(2)}`);
    // With zero-mean inputs the mean gate is close to sigmoid(bias): 0.5 and 0.119.
    expect(at0.t).toBeGreaterThan(0.4);
    expect(at0.t).toBeLessThan(0.6);
    expect(atM2.t).toBeGreaterThan(sigmoid(-2) - 0.05);
    expect(atM2.t).toBeLessThan(sigmoid(-2) + 0.08);
    // y − x = T·(H − x) with the same H at every bias and T elementwise increasing in it, so
    // the change falls strictly with the bias (any kernels; how far depends on the gate's
    // pre-activation spread, which is why no fixed ratio is asserted), and vanishes at −20.
    expect(atM2.r).toBeLessThan(at0.r);
    expect(atM20.r).toBeLessThan(atM2.r * 1e-6);
    expect(atM20.r).toBeLessThan(1e-6);
    x.dispose();
  });

  it('rejects an input without a known feature size', () => {
    const inp = input({ shape: [null as unknown as number] });
    expect(() => highwayDense(inp)).toThrow(/known last/);
    expect(() => highwayDense(input({ shape: [3] }), { gateBias: Number.NaN })).toThrow(/gateBias/);
  });
});

describe('highwayConv2d', () => {
  it('keeps NHWC shape, counts 2·(k²c² + c) params, and carries the input at a very negative bias', () => {
    const inp = input({ shape: [5, 5, 3] });
    const out = highwayConv2d(inp, { gateBias: -30, name: 'b' });
    const m = model({ inputs: inp, outputs: out });
    expect(out.shape).toEqual([null, 5, 5, 3]);
    expect(m.countParams()).toBe(2 * (3 * 3 * 3 * 3 + 3));
    const x = tf.randomUniform([2, 5, 5, 3], -1, 1, 'float32', 3);
    const y = m.predict(x) as tf.Tensor;
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(y, x))).dataSync()[0]!)).toBeLessThan(1e-6);
    expect(() => highwayConv2d(inp, { kernelSize: 2 })).toThrow(/odd/);
    tf.dispose([x, y]);
    m.dispose();
  });
});

describe('highwayNetwork', () => {
  it('builds depth highway layers (or plain dense layers) between projection and classifier', () => {
    const hw = highwayNetwork(3, { inputSize: 8, units: 4, numClasses: 2 });
    const plain = highwayNetwork(3, { inputSize: 8, units: 4, numClasses: 2, plain: true });
    // proj 8·4+4, three highway layers 2·(4·4+4) each, fc 4·2+2.
    expect(hw.countParams()).toBe(36 + 3 * 40 + 10);
    expect(plain.countParams()).toBe(36 + 3 * 20 + 10);
    expect(hw.layers.filter((l) => l instanceof HighwayGate)).toHaveLength(3);
    expect(hw.outputs[0]!.shape).toEqual([null, 2]);
    expect(() => highwayNetwork(0, { inputSize: 8 })).toThrow(/depth must be a positive integer/);
    hw.dispose();
    plain.dispose();
  });

  it('round-trips through model.json with identical outputs', async () => {
    const m = highwayNetwork(2, { inputSize: 6, units: 6, numClasses: 3, gateBias: -1 });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await loadLayersModel(tf.io.fromMemory(artifacts!));
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 1);
    const a = m.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(loaded.layers.filter((l) => l.getClassName() === 'HighwayGate')).toHaveLength(2);
    tf.dispose([x, a, b]);
    m.dispose();
    loaded.dispose();
  });
});
