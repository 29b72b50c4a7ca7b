import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCHNORM_SHAPES } from '../kernel-cases.js';
import { batchNormTraining } from './batchnorm-training.js';
import { registerWasmTrainingKernels } from '../register-wasm.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';
import { maxRelDiff, on, values } from './test-utils.js';

const EPS = 1e-3;

/** Normalised output, batch moments and the gradients of sum(y·r) for x, γ, β. */
function outputsAndGrads(shape: number[], fused: boolean): tf.Tensor[] {
  const c = shape[shape.length - 1]!;
  const size = shape.reduce((a, b) => a * b);
  // An offset mean, so that the centred sums are actually exercised.
  const x = tf.add(tf.tensor(values(size, 1), shape), 3);
  const gamma = tf.add(tf.tensor1d(values(c, 2)), 1.5);
  const beta = tf.tensor1d(values(c, 3));
  const r = tf.tensor(values(size, 4), shape);
  const axes = shape.slice(0, -1).map((_, i) => i);
  const forward = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor[] => {
    if (fused) return batchNormTraining(a, g, b, EPS);
    const { mean, variance } = tf.moments(a, axes);
    return [tf.batchNorm(a, mean, variance, b, g, EPS), mean, variance];
  };
  const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(a, g, b)[0]!, r)));
  return [...forward(x, gamma, beta), ...grads([x, gamma, beta])];
}

describe('training-mode BatchNorm on wasm matches tfjs-core’s composite on cpu', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
  });
  afterAll(async () => {
    setSimdKernelsEnabled(true);
    await tf.setBackend('cpu');
  });

  const shapes = BATCHNORM_SHAPES; // SIMD (C % 4 = 0), JS (C = 6), more rows than a SIMD block
  for (const simd of [true, false]) {
    for (const shape of shapes) {
      it(`${shape.join('×')}, SIMD kernels ${simd ? 'on' : 'off'}: y, μ, σ², dx, dγ, dβ`, async () => {
        setSimdKernelsEnabled(simd);
        const ref = await on('cpu', () => outputsAndGrads(shape, false));
        const got = await on('wasm', () => outputsAndGrads(shape, true));
        expect(got).toHaveLength(6);
        for (let i = 0; i < 6; i++) expect(maxRelDiff(got[i]!, ref[i]!), `output ${i}`).toBeLessThan(2e-5);
      });
    }
  }

  it('FusedBatchNorm (inference) with per-channel and full-shape statistics, and without γ/β', async () => {
    const shape = [2, 3, 5, 8];
    const run = () => {
      const x = tf.tensor(values(240, 5), shape);
      const m = tf.tensor1d(values(8, 6));
      const v = tf.add(tf.tensor1d(values(8, 7)), 1.2);
      const full = tf.add(tf.tensor(values(240, 8), shape), 1.2);
      return [tf.batchNorm(x, m, v, tf.tensor1d(values(8, 9)), tf.tensor1d(values(8, 10)), EPS), tf.batchNorm(x, m, v), tf.batchNorm(x, tf.add(tf.tensor(values(240, 11), shape), 0.1), full)];
    };
    const ref = await on('cpu', run);
    const got = await on('wasm', run);
    for (let i = 0; i < ref.length; i++) expect(maxRelDiff(got[i]!, ref[i]!), `case ${i}`).toBeLessThan(1e-5);
  });
});
