import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { basicBlock, ResidualAdd, residualAdd } from './index.js';
import { maxAbsDiff } from '@resnet/test-utils';
import { setFormulaWeights } from './test-utils.js';

function junctionModel(args: ConstructorParameters<typeof ResidualAdd>[0]) {
  const s = tfl.input({ shape: [2, 2, 3] });
  const b = tfl.input({ shape: [2, 2, 3] });
  const layer = residualAdd(args);
  const y = layer.apply([s, b]) as tfl.SymbolicTensor;
  return { model: tfl.model({ inputs: [s, b], outputs: y }), layer };
}

describe('ResidualAdd', () => {
  const s = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1, 2, 2, 3]);
  const b = tf.tensor4d([0.5, -1, 2, 0, 1, 1, -3, 2, 0.25, 4, -2, 1], [1, 2, 2, 3]);

  it('returns shortcut + branch by default, and shortcut + gate·branch after setting gate on a built model', () => {
    const { model, layer } = junctionModel({ name: 'j' });
    expect(layer.gate).toBe(1);
    const y1 = model.predict([s, b]) as tf.Tensor;
    expect(maxAbsDiff(y1, tf.add(s, b))).toBe(0);
    layer.gate = 0; // a lesion
    const y0 = model.predict([s, b]) as tf.Tensor;
    expect(maxAbsDiff(y0, s)).toBe(0);
    layer.gate = 0.5;
    const yh = model.predict([s, b]) as tf.Tensor;
    expect(maxAbsDiff(yh, tf.add(s, tf.mul(b, 0.5)))).toBe(0);
    tf.dispose([y1, y0, yh]);
  });

  it('rezero starts as the identity on the shortcut and has one trainable scalar weight alpha', () => {
    const { model, layer } = junctionModel({ rezero: true, name: 'rz' });
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[]]);
    expect(layer.trainableWeights[0]!.originalName).toBe('rz/alpha');
    const y = model.predict([s, b]) as tf.Tensor;
    expect(maxAbsDiff(y, s)).toBe(0);
    layer.setWeights([tf.scalar(0.25)]);
    const y2 = model.predict([s, b]) as tf.Tensor;
    expect(maxAbsDiff(y2, tf.add(s, tf.mul(b, 0.25)))).toBeLessThan(1e-6);
    tf.dispose([y, y2]);
  });

  it('the rezero gate receives a gradient (it is trainable)', () => {
    const { model, layer } = junctionModel({ rezero: true });
    const { grads } = tf.variableGrads(() => tf.sum(model.apply([s, b], { training: true }) as tf.Tensor) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
    // d/dalpha sum(s + alpha·b) = sum(b)
    expect(Object.values(grads)[0]!.dataSync()[0]).toBeCloseTo(tf.sum(b).dataSync()[0]!, 5);
  });

  it('dropPathRate drops whole samples in training only; inference is deterministic', () => {
    const n = 64;
    const si = tf.zeros([n, 2, 2, 3]);
    const bi = tf.ones([n, 2, 2, 3]);
    const { model } = junctionModel({ dropPathRate: 0.5 });
    const inf1 = model.predict([si, bi]) as tf.Tensor;
    const inf2 = model.predict([si, bi]) as tf.Tensor;
    expect(maxAbsDiff(inf1, bi)).toBe(0);
    expect(maxAbsDiff(inf1, inf2)).toBe(0);
    const tr = model.apply([si, bi], { training: true }) as tf.Tensor;
    // Each sample is all 0 (dropped) or all 1/(1-0.5) = 2 (kept and rescaled).
    const perSample = tf.reshape(tr, [n, 12]);
    const rows = perSample.arraySync() as number[][];
    for (const row of rows) expect(new Set(row).size).toBe(1);
    const kept = rows.filter((r) => r[0] === 2).length;
    expect(rows.every((r) => r[0] === 0 || r[0] === 2)).toBe(true);
    // Binomial(64, 0.5): P(kept outside 12..52) < 1e-7.
    expect(kept).toBeGreaterThan(12);
    expect(kept).toBeLessThan(52);
    tf.dispose([si, bi, inf1, inf2, tr, perSample]);
  });

  it('a block with dropPathRate changes its output only in training mode', () => {
    const x = tfl.input({ shape: [4, 4, 4] });
    const m = tfl.model({ inputs: x, outputs: basicBlock(x, { filters: 4, dropPathRate: 0.5 }) });
    setFormulaWeights(m);
    const xv = tf.randomNormal([16, 4, 4, 4], 0, 1, 'float32', 7);
    const a = m.predict(xv) as tf.Tensor;
    const b2 = m.predict(xv) as tf.Tensor;
    expect(maxAbsDiff(a, b2)).toBe(0);
    const t1 = m.apply(xv, { training: true }) as tf.Tensor;
    const t2 = m.apply(xv, { training: true }) as tf.Tensor;
    // Two training passes draw different masks (P(same) = 2^-16 with 16 samples).
    expect(maxAbsDiff(t1, t2)).toBeGreaterThan(0);
    tf.dispose([xv, a, b2, t1, t2]);
  });

  it('rejects mismatched shapes and bad arguments with what is valid', () => {
    const s1 = tfl.input({ shape: [2, 2, 3] });
    const b1 = tfl.input({ shape: [2, 2, 4] });
    expect(() => residualAdd().apply([s1, b1])).toThrow(/shortcut shape \[null, 2, 2, 3\] and branch shape \[null, 2, 2, 4\] must match/);
    expect(() => residualAdd({ dropPathRate: 1 })).toThrow(/dropPathRate must be in \[0, 1\), got 1/);
    expect(() => residualAdd({ gate: Number.NaN })).toThrow(/gate must be a finite number/);
    expect(() => residualAdd().apply(s1)).toThrow(/expects two inputs \[shortcut, branch\]/);
  });

  it('does not leak tensors across predictions', () => {
    const { model, layer } = junctionModel({ rezero: true, dropPathRate: 0.2 });
    layer.gate = 0.5;
    const run = () => tf.dispose(model.predict([s, b]) as tf.Tensor);
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run();
    tf.dispose(model.apply([s, b], { training: true }) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
  });
});
