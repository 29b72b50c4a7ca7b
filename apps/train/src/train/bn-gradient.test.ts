import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { registerFastBatchNormGradient, restoreStockBatchNormGradient } from './bn-gradient.js';

afterAll(() => restoreStockBatchNormGradient());

/** Gradients of a training-mode BatchNorm layer (batch statistics, as in training) w.r.t. x, gamma, beta. */
function grads(rank: 2 | 4): number[][] {
  return tf.tidy(() => {
    const shape = rank === 4 ? [3, 4, 5, 6] : [7, 6];
    const n = shape.reduce((a, b) => a * b, 1);
    // Deterministic, non-symmetric inputs and upstream weights.
    const x = tf.tensor(Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 2 + (i % 5) * 0.1), shape);
    const w = tf.tensor(Array.from({ length: n }, (_, i) => Math.cos(i * 0.11)), shape);
    const gamma = tf.variable(tf.tensor1d([0.5, 1.5, -0.7, 1, 2, 0.3]));
    const beta = tf.variable(tf.tensor1d([0.1, -0.2, 0.3, 0, 0.5, -1]));
    const axes = rank === 4 ? [0, 1, 2] : [0];
    const f = (xx: tf.Tensor): tf.Scalar => {
      const { mean, variance } = tf.moments(xx, axes);
      return tf.sum(tf.mul(tf.batchNorm(xx, mean, variance, beta, gamma, 1e-5), w));
    };
    const dx = tf.grad(f)(x);
    const { grads: g } = tf.variableGrads(() => f(x), [gamma, beta]);
    const out = [Array.from(dx.dataSync()), Array.from(g[gamma.name]!.dataSync()), Array.from(g[beta.name]!.dataSync())];
    gamma.dispose();
    beta.dispose();
    return out;
  });
}

describe('fast FusedBatchNorm gradient', () => {
  for (const rank of [4, 2] as const) {
    it(`equals the stock tfjs gradient for rank-${rank} inputs (x, gamma, beta)`, () => {
      restoreStockBatchNormGradient();
      const stock = grads(rank);
      registerFastBatchNormGradient();
      const before = tf.memory().numTensors;
      const fast = grads(rank);
      expect(tf.memory().numTensors).toBe(before);
      stock.forEach((s, k) => {
        // dx of a batch-normalised layer is small (it sums to ~0); compare with a tolerance relative to its size.
        const scale = Math.max(...s.map(Math.abs));
        s.forEach((v, i) => expect(Math.abs(fast[k]![i]! - v)).toBeLessThan(1e-5 * Math.max(1, scale)));
      });
      // The check is not vacuous: gamma's gradient is far from zero.
      expect(Math.max(...stock[1]!.map(Math.abs))).toBeGreaterThan(0.1);
    });
  }
});
