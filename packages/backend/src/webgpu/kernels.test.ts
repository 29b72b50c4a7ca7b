import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { BATCHNORM_SHAPES } from '../kernel-cases.js';
import { values } from '../wasm/test-utils.js';
import { expectSameAsCpu, useWebgpu } from './test-utils.js';

const t = (shape: number[], seed: number) => tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);

/** Training-mode BatchNorm as tfjs-layers computes it off wasm: y, μ, σ² and the gradients of sum(y·r) for x, γ, β. */
function batchNormTraining(shape: number[]): tf.Tensor[] {
  const c = shape[shape.length - 1]!;
  const x = tf.add(t(shape, 1), 3); // an offset mean, so centring matters
  const gamma = tf.add(t([c], 2), 1.5);
  const beta = t([c], 3);
  const r = t(shape, 4);
  const axes = shape.slice(0, -1).map((_, i) => i);
  const forward = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(a, axes);
    return [tf.batchNorm(a, mean, variance, b, g, 1e-3), mean, variance];
  };
  const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(a, g, b)[0]!, r)));
  return [...forward(x, gamma, beta), ...grads([x, gamma, beta])];
}

/** x[:, ::2, ::2, :] as the zero-pad shortcut takes it: a rank-6 view and slice, whose gradient is a rank-6 pad. */
function subsampleAndGrad(): tf.Tensor[] {
  const x = t([2, 6, 4, 3], 5);
  const sub = (a: tf.Tensor) => tf.reshape(tf.slice(tf.reshape(a, [2, 3, 2, 2, 2, 3]), [0, 0, 0, 0, 0, 0], [2, 3, 1, 2, 1, 3]), [2, 3, 2, 3]);
  const r = t([2, 3, 2, 5], 6);
  const shortcut = (a: tf.Tensor) => tf.pad(sub(a), [[0, 0], [0, 0], [0, 0], [1, 1]]);
  return [shortcut(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(shortcut(a), r)))(x)];
}

describe('webgpu kernels of a training step match the cpu backend', () => {
  beforeAll(useWebgpu);
  afterAll(() => tf.setBackend('cpu'));

  for (const shape of BATCHNORM_SHAPES) {
    it(`training-mode BatchNorm ${shape.join('×')}: y, μ, σ², dx, dγ, dβ`, () => expectSameAsCpu(() => batchNormTraining(shape), 2e-5));
  }

  it('FusedBatchNorm (inference) with per-channel and full-shape statistics, and without γ/β', () =>
    expectSameAsCpu(() => {
      const shape = [2, 3, 5, 8];
      const m = t([8], 6);
      const v = tf.add(t([8], 7), 1.2);
      return [
        tf.batchNorm(t(shape, 5), m, v, t([8], 9), t([8], 10), 1e-3),
        tf.batchNorm(t(shape, 5), m, v),
        tf.batchNorm(t(shape, 5), tf.add(t(shape, 11), 0.1), tf.add(t(shape, 8), 1.2)),
      ];
    }));

  it('BatchNorm and Mean gradients: training and inference mode, full-shape statistics, means over several axis sets', () =>
    expectSameAsCpu(() => {
      const x = t([3, 4, 5, 6], 1);
      const r = t([3, 4, 5, 6], 2);
      const beta = t([6], 4);
      const training = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(a, mean, variance, b, g, 1e-5), r));
      };
      const inference = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor) => tf.sum(tf.mul(tf.batchNorm(a, m, v, beta, g, 1e-3), r));
      const means = (a: tf.Tensor) => tf.add(tf.add(tf.sum(tf.mul(tf.mean(a, [0, 1, 2]), t([6], 8))), tf.sum(tf.mul(tf.mean(a, 1, true), t([3, 1, 5, 6], 9)))), tf.mean(a));
      return [
        ...tf.grads(training)([x, tf.add(t([6], 3), 2), beta]),
        ...tf.grads(inference)([x, t([6], 5), tf.add(tf.abs(t([6], 6)), 0.5), tf.add(t([6], 3), 2)]),
        ...tf.grads(means)([x]),
      ];
    }, 2e-5));

  it('Tile, Slice, Sum and Mean over the shapes of the wasm fast paths and fall-backs', () =>
    expectSameAsCpu(() => {
      const x = t([3, 4, 5, 6], 9);
      return [
        tf.tile(t([1, 1, 1, 5], 1), [2, 3, 4, 1]), tf.tile(t([2, 3, 1], 2), [3, 1, 4]), tf.tile(t([3], 3), [5]),
        tf.tile(tf.tensor([1, 2, 3], [3], 'int32'), [3]),
        tf.slice(t([2, 5, 6, 3], 5), [0, 1, 1, 0], [2, 3, 4, 3]), tf.slice(t([2, 5, 6, 3], 6), [1, 0, 0, 0], [1, 5, 6, 3]),
        tf.slice(t([2, 5, 6, 3], 7), [0, 0, 0, 1], [2, -1, -1, 2]), tf.slice(t([7], 8), [2], [3]),
        tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2]), tf.sum(x, [0, 1, 2], true), tf.mean(x, 0), tf.sum(x), tf.mean(x, [1, 2]), tf.sum(x, -1),
        tf.sum(tf.tensor([1, 2, 3, 4], [2, 2], 'int32'), 0),
      ];
    }));

  it('PadV2 of rank 5 and 6 (our kernel: the stock one does not compile), and of rank 4', () =>
    expectSameAsCpu(() => [
      tf.pad(t([2, 3, 1, 2, 1, 3], 1), [[0, 0], [0, 0], [0, 1], [0, 0], [0, 1], [0, 0]]),
      tf.pad(t([2, 3, 2, 2, 3], 2), [[1, 0], [0, 2], [1, 1], [0, 0], [2, 1]], 0.5),
      tf.pad(t([2, 3, 2, 2, 3, 2], 3), [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]),
      tf.pad(t([2, 5, 5, 3], 4), [[0, 0], [1, 2], [2, 1], [0, 0]]),
    ]));

  it('the zero-pad shortcut: subsample through a rank-6 slice, pad the channels; forward and gradient', () =>
    expectSameAsCpu(subsampleAndGrad));

  it('max and average pooling (3×3 stride 2 after an explicit pad, 2×2 stride 2) and their gradients', () =>
    expectSameAsCpu(() => {
      const x = t([2, 9, 9, 3], 7);
      const r1 = t([2, 5, 5, 3], 8);
      const r2 = t([2, 4, 4, 3], 9);
      const maxPool = (a: tf.Tensor) => tf.maxPool(tf.pad(a as tf.Tensor4D, [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 2, 'valid');
      const avgPool = (a: tf.Tensor) => tf.avgPool(a as tf.Tensor4D, 2, 2, 'valid');
      return [
        maxPool(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(maxPool(a), r1)))(x),
        avgPool(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(avgPool(a), r2)))(x),
        tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.mean(a, [1, 2]), t([2, 3], 10))))(x),
      ];
    }));

  it('concat and split along channels (DenseNet) and their gradients', () =>
    expectSameAsCpu(() => {
      const a = t([2, 4, 4, 3], 1);
      const b = t([2, 4, 4, 5], 2);
      const r = t([2, 4, 4, 8], 3);
      const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.concat([x, y], 3), r));
      const [s1, s2] = tf.split(t([2, 4, 4, 8], 4), [3, 5], 3);
      return [tf.concat([a, b], 3), ...tf.grads(f)([a, b]), s1!, s2!];
    }));

  it('attention: batched matmuls, transposes, a causal mask, softmax, GELU (erf), LayerNorm; forward and gradients', () =>
    expectSameAsCpu(() => {
      const [b, s, d] = [2, 5, 8];
      const x = t([b, s, d], 1);
      const wq = t([d, d], 2);
      const wk = t([d, d], 3);
      const r = t([b, s, d], 4);
      const mask = tf.linalg.bandPart(tf.ones([s, s]), -1, 0);
      const block = (a: tf.Tensor, q: tf.Tensor, k: tf.Tensor) => {
        const heads = (m: tf.Tensor) => tf.transpose(tf.reshape(tf.matMul(tf.reshape(a, [b * s, d]), m), [b, s, 2, d / 2]), [0, 2, 1, 3]);
        const scores = tf.div(tf.matMul(heads(q), heads(k), false, true), Math.sqrt(d / 2));
        const masked = tf.where(tf.greater(mask, 0), scores, tf.fill(scores.shape, -1e9));
        const attn = tf.matMul(tf.softmax(masked), heads(q));
        const merged = tf.reshape(tf.transpose(attn, [0, 2, 1, 3]), [b, s, d]);
        const gelu = tf.mul(tf.mul(merged, 0.5), tf.add(tf.erf(tf.div(merged, Math.SQRT2)), 1));
        const { mean, variance } = tf.moments(tf.add(a, gelu), -1, true);
        return tf.div(tf.sub(tf.add(a, gelu), mean), tf.sqrt(tf.add(variance, 1e-5)));
      };
      return [block(x, wq, wk), ...tf.grads((a: tf.Tensor, q: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(block(a, q, k), r)))([x, wq, wk])];
    }, 2e-5));

  it('the classifier: dense layer, ReLU, softmax cross-entropy and its gradients, argMax error count', () =>
    expectSameAsCpu(() => {
      const x = t([6, 12], 1);
      const w = t([12, 4], 2);
      const bias = t([4], 3);
      const labels = tf.oneHot(tf.tensor1d([0, 3, 1, 2, 2, 0], 'int32'), 4);
      const loss = (a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, tf.add(tf.matMul(tf.relu(a), k), c));
      const logits = tf.add(tf.matMul(tf.relu(x), w), bias);
      return [loss(x, w, bias), ...tf.grads(loss)([x, w, bias]), tf.sum(tf.notEqual(tf.argMax(logits, -1), tf.tensor1d([0, 3, 1, 2, 2, 0], 'int32')))];
    }));
});
