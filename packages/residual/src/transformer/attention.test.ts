import * as tf from '@tensorflow/tfjs-core';
import { input, model, models } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { MultiHeadSelfAttention } from './attention.js';
import { expectSamePredictions } from '../test-utils.js';

type Mat = number[][];
const matmul = (a: Mat, b: Mat): Mat => a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const addRow = (a: Mat, bias: number[]): Mat => a.map((r) => r.map((v, j) => v + bias[j]!));

/** Plain-JS multi-head attention on one sequence; `allowed(i, j)` says whether query i may see key j. */
function reference(x: Mat, w: Record<'q' | 'k' | 'v' | 'o', { k: Mat; b: number[] }>, h: number, allowed: (i: number, j: number) => boolean): Mat {
  const d = x[0]!.length;
  const dk = d / h;
  const q = addRow(matmul(x, w.q.k), w.q.b);
  const k = addRow(matmul(x, w.k.k), w.k.b);
  const v = addRow(matmul(x, w.v.k), w.v.b);
  const ctx: Mat = x.map(() => new Array<number>(d).fill(0));
  for (let head = 0; head < h; head++) {
    const cols = Array.from({ length: dk }, (_, c) => head * dk + c);
    x.forEach((_, i) => {
      const scores = x.map((__, j) => (allowed(i, j) ? cols.reduce((s, c) => s + q[i]![c]! * k[j]![c]!, 0) / Math.sqrt(dk) : -Infinity));
      const m = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - m));
      const z = e.reduce((a, b) => a + b, 0);
      cols.forEach((c) => (ctx[i]![c] = e.reduce((s, p, j) => s + (p / z) * v[j]![c]!, 0)));
    });
  }
  return addRow(matmul(ctx, w.o.k), w.o.b);
}

// Deterministic, non-symmetric weights from a formula so every entry matters.
const wgen = (seed: number, rows: number, cols: number): Mat =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (__, j) => Math.sin(seed + 1.3 * i + 0.7 * j) * 0.5));
const D = 4;
const W = {
  q: { k: wgen(1, D, D), b: [0.1, -0.2, 0.05, 0] },
  k: { k: wgen(2, D, D), b: [0, 0.1, -0.1, 0.2] },
  v: { k: wgen(3, D, D), b: [0.3, 0, -0.3, 0.1] },
  o: { k: wgen(4, D, D), b: [-0.05, 0.05, 0.1, -0.1] },
};
const X: Mat = [[1, 0, -1, 0.5], [0.2, 0.4, 0.6, -0.8], [-1, 1, 0, 0.3]];

function build(causal: boolean, withMask: boolean) {
  const x = input({ shape: [null as unknown as number, D] });
  const mask = input({ shape: [null as unknown as number] });
  const layer = new MultiHeadSelfAttention({ numHeads: 2, causal, name: 'attn' });
  const out = layer.apply(withMask ? [x, mask] : x) as SymbolicTensor;
  const m = model({ inputs: withMask ? [x, mask] : x, outputs: out });
  layer.setWeights([W.q, W.k, W.v, W.o].flatMap((p) => [tf.tensor2d(p.k), tf.tensor1d(p.b)]));
  return { m, layer };
}

const close = (got: tf.Tensor, want: Mat) => {
  const g = got.arraySync() as Mat[];
  want.forEach((r, i) => r.forEach((v, j) => expect(g[0]![i]![j]!).toBeCloseTo(v, 5)));
};

describe('MultiHeadSelfAttention', () => {
  it('equals a plain-JS computation (2 heads, d = 4, 3 tokens) and has 4d² + 4d parameters', () => {
    const { m, layer } = build(false, false);
    expect(layer.countParams()).toBe(4 * D * D + 4 * D);
    const y = m.predict(tf.tensor3d([X])) as tf.Tensor;
    close(y, reference(X, W, 2, () => true));
    tf.dispose(y);
    m.dispose();
  });

  it('causal mask: equals the reference with keys j > i removed, and later tokens cannot change earlier outputs', () => {
    const { m } = build(true, false);
    const y = m.predict(tf.tensor3d([X])) as tf.Tensor;
    close(y, reference(X, W, 2, (i, j) => j <= i));
    const changed = X.map((r, i) => (i === 2 ? r.map((v) => v * -3 + 1) : r));
    const y2 = m.predict(tf.tensor3d([changed])) as tf.Tensor;
    const a = y.arraySync() as Mat[];
    const b = y2.arraySync() as Mat[];
    expect(b[0]!.slice(0, 2)).toEqual(a[0]!.slice(0, 2));
    expect(b[0]![2]).not.toEqual(a[0]![2]);
    tf.dispose([y, y2]);
    m.dispose();
  });

  it('key padding mask: padded keys get no attention, so real tokens match the unpadded sequence', () => {
    const { m } = build(false, true);
    const padded = [...X, [9, -9, 9, -9]];
    const y = m.predict([tf.tensor3d([padded, padded]), tf.tensor2d([[1, 1, 1, 0], [1, 1, 0, 0]])]) as tf.Tensor;
    const rows = y.arraySync() as Mat[];
    const want3 = reference(X, W, 2, () => true);
    const want2 = reference(X.slice(0, 2), W, 2, () => true);
    want3.forEach((r, i) => r.forEach((v, j) => expect(rows[0]![i]![j]!).toBeCloseTo(v, 5)));
    want2.forEach((r, i) => r.forEach((v, j) => expect(rows[1]![i]![j]!).toBeCloseTo(v, 5)));
    tf.dispose(y);
    m.dispose();
  });

  it('round-trips through model.json, keeps its config, and does not leak tensors', async () => {
    const { m } = build(true, true);
    const loaded = await models.modelFromJSON(m.toJSON(null, false) as never);
    loaded.setWeights(m.getWeights());
    const restored = loaded.getLayer('attn') as MultiHeadSelfAttention;
    expect(restored).toBeInstanceOf(MultiHeadSelfAttention);
    expect([restored.numHeads, restored.causal]).toEqual([2, true]);
    const xs = [tf.tensor3d([X]), tf.tensor2d([[1, 1, 0]])];
    expectSamePredictions(m, loaded, xs);
    tf.dispose(xs);
    m.dispose();
    loaded.dispose();
  });

  it('explains invalid settings', () => {
    expect(() => new MultiHeadSelfAttention({ numHeads: 0 })).toThrow(/numHeads must be a positive integer/);
    expect(() => new MultiHeadSelfAttention({ numHeads: 2, dropout: 1 })).toThrow('dropout must be a number in [0, 1), got 1');
    expect(() => new MultiHeadSelfAttention({ numHeads: 2, kernelInitializer: 'orthogonal' as 'zeros' })).toThrow("kernelInitializer: unknown initializer 'orthogonal'; valid identifiers: zeros, ones, glorotNormal, glorotUniform");
    const x = input({ shape: [3, 6] });
    expect(() => new MultiHeadSelfAttention({ numHeads: 4 }).apply(x)).toThrow(/d = 6 is not divisible by numHeads = 4/);
  });
});
