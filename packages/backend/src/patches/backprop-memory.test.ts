import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { appliedPatches } from './applied.js';
import { BACKPROP_MEMORY_PATCH, freeBackpropEarly } from './backprop-memory.js';

const N = 1000; // floats per activation
const DEPTH = 8;

/**
 * sum(sin^DEPTH(p) + p) with p = probe(sin(x)): a chain of sines with one residual addition behind a probe (an
 * identity with a custom gradient that notes the bytes alive when it runs, next to last). Returns the gradient
 * and that figure.
 */
function step(x: tf.Tensor): { grad: Float32Array; bytesAtProbe: number } {
  let bytesAtProbe = -1;
  const probe = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: (args[0] as tf.Tensor).clone(),
    gradFunc: (dy: tf.Tensor) => {
      bytesAtProbe = tf.memory().numBytes;
      return dy; // the node's own dy as its gradient: the patch must hand out a copy
    },
  }));
  const grad = tf.tidy(() => tf.grad((v: tf.Tensor) => {
    let h = probe(tf.sin(v)) as tf.Tensor;
    const start = h;
    for (let k = 0; k < DEPTH; k++) h = tf.sin(h);
    return tf.sum(tf.add(h, start));
  })(x).dataSync() as Float32Array);
  return { grad, bytesAtProbe };
}

describe('freeBackpropEarly: saved activations and output gradients freed during the backward pass', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('the same gradient bit for bit, no tensor left behind, and a lower peak', () => {
    const x = tf.tensor1d(Float32Array.from({ length: N }, (_, i) => Math.sin(i) * 2));
    const before = tf.memory().numTensors;
    const stock = step(x);
    expect(tf.memory().numTensors).toBe(before);
    freeBackpropEarly();
    freeBackpropEarly(); // idempotent
    expect(appliedPatches()).toContain(BACKPROP_MEMORY_PATCH);
    const lean = step(x);
    expect(tf.memory().numTensors).toBe(before);
    expect(lean.grad).toEqual(stock.grad);
    // d/dx = cos(x)·(1 + Π cos(h_k)) with h_0 = sin(x): check against arithmetic too.
    const want = Array.from(x.dataSync(), (v) => {
      let h = Math.sin(v);
      let d = 1;
      for (let k = 0; k < DEPTH; k++) {
        d *= Math.cos(h);
        h = Math.sin(h);
      }
      return Math.cos(v) * (1 + d);
    });
    lean.grad.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 5));
    // Stock tfjs keeps, when the probe's gradient runs, the DEPTH saved inputs of the chain's sines and the
    // gradients of every activation after the probe (DEPTH + 1 of them, and the sum's broadcast); with the
    // patch, the probe's dy and the residual's addend. So at least 2·DEPTH − 1 activations of N floats fewer.
    expect(stock.bytesAtProbe - lean.bytesAtProbe).toBeGreaterThanOrEqual((2 * DEPTH - 1) * N * 4);
    x.dispose();
  });

  it('second derivatives still work (a backward pass inside a forward pass is left as tfjs runs it)', () => {
    freeBackpropEarly();
    const x = tf.tensor1d([0.3, -1.2, 2]);
    const before = tf.memory().numTensors;
    const d2 = tf.tidy(() => tf.grad(tf.grad((v: tf.Tensor) => tf.sum(tf.sin(v))))(x).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    Array.from(x.dataSync()).forEach((v, i) => expect(d2[i]).toBeCloseTo(-Math.sin(v), 6));
    x.dispose();
  });
});
