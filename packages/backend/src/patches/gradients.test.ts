import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// tfjs-core's own gradients: the reference for ours.
import { fusedBatchNormGradConfig as stockBatchNormGrad } from '@tensorflow/tfjs-core/dist/gradients/FusedBatchNorm_grad';
import { meanGradConfig as stockMeanGrad } from '@tensorflow/tfjs-core/dist/gradients/Mean_grad';
import { reluGradConfig as stockReluGrad } from '@tensorflow/tfjs-core/dist/gradients/Relu_grad';
import { afterAll, describe, expect, it } from 'vitest';
import { fusedBatchNormGradConfig, meanGradConfig, reluGradConfig } from './gradients.js';
import { maxRelDiff, on, values } from '../wasm/test-utils.js';

const t = (shape: number[], seed: number) => tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);

/** Gradients of BatchNorm used three ways, and of means over several axis sets. */
function cases(): tf.Tensor[] {
  const x = t([3, 4, 5, 6], 1);
  const r = t([3, 4, 5, 6], 2);
  const gamma = tf.add(t([6], 3), 2);
  const beta = t([6], 4);
  const training = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(a, [0, 1, 2]);
    return tf.sum(tf.mul(tf.batchNorm(a, mean, variance, b, g, 1e-5), r));
  };
  const movingMean = t([6], 5);
  const movingVar = tf.add(tf.abs(t([6], 6)), 0.5);
  // (The tape cannot differentiate a batchNorm with an undefined offset or scale: tfjs-core reads input.id.)
  const inference = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor) => tf.sum(tf.mul(tf.batchNorm(a, m, v, beta, g, 1e-3), r));
  const fullShape = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(tf.batchNorm(a, m, v, t([3, 4, 5, 6], 11), tf.add(t([3, 4, 5, 6], 12), 2), 1e-3), r));
  const full = tf.add(tf.abs(t([3, 4, 5, 6], 7)), 0.5);
  const means = (a: tf.Tensor) => tf.add(tf.add(tf.sum(tf.mul(tf.mean(a, [0, 1, 2]), t([6], 8))), tf.sum(tf.mul(tf.mean(a, 1, true), t([3, 1, 5, 6], 9)))), tf.mean(a));
  return [
    ...tf.grads(training)([x, gamma, beta]),
    ...tf.grads(inference)([x, movingMean, movingVar, gamma]),
    ...tf.grads(fullShape)([x, t([3, 4, 5, 6], 10), full]),
    ...tf.grads(means)([x]),
  ];
}

describe('leaner BatchNorm and Mean gradients equal tfjs-core’s', () => {
  afterAll(() => {
    tf.registerGradient(stockBatchNormGrad);
    tf.registerGradient(stockMeanGrad);
  });

  it('on every input, with per-channel and full-shape statistics, in training and inference mode', async () => {
    tf.registerGradient(stockBatchNormGrad);
    tf.registerGradient(stockMeanGrad);
    const stock = await on('cpu', cases);
    tf.registerGradient(fusedBatchNormGradConfig);
    tf.registerGradient(meanGradConfig);
    const ours = await on('cpu', cases);
    expect(ours.length).toBe(11);
    ours.forEach((g, i) => {
      expect(g.length).toBe(stock[i]!.length);
      expect(maxRelDiff(g, stock[i]!)).toBeLessThan(1e-5);
    });
  });
});

describe('ReLU’s gradient from its output equals tfjs-core’s from its input', () => {
  afterAll(() => {
    tf.registerGradient(stockReluGrad);
  });

  it('bit for bit, at negatives, ±0, positives and NaN; the backward pass keeps the output, not the input', async () => {
    const grads = () => {
      const x = tf.tensor1d([-2, -0, 0, 1e-30, 3, NaN, -1e-30]);
      const dy = tf.tensor1d([1, 2, 3, 4, 5, 6, 7]);
      return [tf.grad((a: tf.Tensor) => tf.relu(a))(x, dy)];
    };
    tf.registerGradient(stockReluGrad);
    const [stock] = await on('cpu', grads);
    tf.registerGradient(reluGradConfig);
    const [ours] = await on('cpu', grads);
    expect(Array.from(ours!)).toEqual(Array.from(stock!)); // [0, 0, 0, 4, 5, NaN, 0]
    expect(Number.isNaN(ours![5])).toBe(true);
    expect(reluGradConfig).toMatchObject({ outputsToSave: [true] });
    expect(reluGradConfig.inputsToSave).toBeUndefined();
  });
});
