// Xiong et al. (2020), "On Layer Normalization in the Transformer Architecture", Fig. 3:
// at initialization the gradient norm of each layer's FFN weights grows toward the output
// in a post-norm stack and stays roughly flat in a pre-norm stack. Measured here on an
// encoder stack with a token-classification head and random data.
import * as tf from '@tensorflow/tfjs-core';
import { input, layers, model } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { transformerEncoder } from './encoder.js';
import type { NormPlacement } from './sublayer.js';

const DEPTH = 12;
const D = 32;
const SEQ = 16;
const BATCH = 8;
const CLASSES = 16;

/** ‖∂L/∂W‖ of `encoder.layers.<i>.linear2`'s kernel for each layer i, for one random init and batch. */
function ffnGradNorms(norm: NormPlacement, seed: number): number[] {
  const x = input({ shape: [SEQ, D] });
  const h = transformerEncoder(x, { depth: DEPTH, dModel: D, heads: 4, dFF: 4 * D, norm, name: 'encoder' });
  const logits = layers.dense({ units: CLASSES, name: 'head' }).apply(h) as SymbolicTensor;
  const m = model({ inputs: x, outputs: logits });
  const kernels = Array.from({ length: DEPTH }, (_, i) => m.getLayer(`encoder.layers.${i}.linear2`).trainableWeights[0]!.read() as tf.Variable);
  const norms = tf.tidy(() => {
    const xs = tf.randomNormal([BATCH, SEQ, D], 0, 1, 'float32', seed);
    const labels = tf.oneHot(tf.randomUniform([BATCH * SEQ], 0, CLASSES, 'int32', seed + 1), CLASSES);
    const { grads } = tf.variableGrads(() => {
      const out = tf.reshape(m.apply(xs, { training: true }) as tf.Tensor, [BATCH * SEQ, CLASSES]);
      return tf.losses.softmaxCrossEntropy(labels, out) as tf.Scalar;
    }, kernels);
    return kernels.map((k) => tf.norm(grads[k.name]!).dataSync()[0]!);
  });
  m.dispose();
  return norms;
}

// What reproduces here, robustly (asserted): post-norm's output-layer gradient is larger than
// pre-norm's by about √L (Xiong et al.'s Theorems 1 and 2: O(d·√ln d) against O(d·√(ln d / L))),
// and pre-norm's gradients do not grow toward the output. What does not reproduce robustly:
// post-norm's growth toward the output is weak here and flips with the (unseeded) init
// (last-third/first-third ratio 0.87 to 1.33 over six 3-init runs), so it is printed, not asserted.
// Pre-norm's norms are not flat either: they shrink toward the output, the early-layer
// gradient excess that Shleifer et al. (2021, NormFormer) report for pre-LN.
it('per-layer FFN gradient norms at init, post-norm vs pre-norm (Xiong et al. 2020)', () => {
  const before = tf.memory().numTensors;
  const seeds = [1, 2, 3];
  const mean = (norm: NormPlacement) => {
    const runs = seeds.map((s) => ffnGradNorms(norm, s));
    return runs[0]!.map((_, i) => runs.reduce((a, r) => a + r[i]!, 0) / runs.length);
  };
  const post = mean('post');
  const pre = mean('pre');
  expect(tf.memory().numTensors).toBe(before);
  const fmt = (v: number[]) => v.map((g) => g.toExponential(2)).join(' ');
  const ratio = (v: number[]) => v.at(-1)! / v[0]!;
  const thirds = (v: number[]) => {
    const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    return avg(v.slice(-DEPTH / 3)) / avg(v.slice(0, DEPTH / 3));
  };
  console.log(`‖∂L/∂W2‖ by layer (1..${DEPTH}), mean of ${seeds.length} inits\npost-norm: ${fmt(post)}  last/first ${ratio(post).toFixed(2)}\npre-norm:  ${fmt(pre)}  last/first ${ratio(pre).toFixed(2)}\n` +
    `last-third/first-third mean: post ${thirds(post).toFixed(2)}, pre ${thirds(pre).toFixed(2)}; ` +
    `output-layer post/pre ${(post.at(-1)! / pre.at(-1)!).toFixed(2)} (√L = ${Math.sqrt(DEPTH).toFixed(2)})`);
  expect(thirds(pre)).toBeLessThan(0.8);
  expect(post.at(-1)! / pre.at(-1)!).toBeGreaterThan(2);
});
