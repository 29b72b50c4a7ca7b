import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONV_CASES as cases, type ConvCase as Case } from '../kernel-cases.js';
import { registerWasmTrainingKernels } from '../register-wasm.js';
import { maxRelDiff, on, values } from './test-utils.js';

/**
 * Gradients of sum(conv2d(x, w) * r) with respect to x and w (r a fixed random
 * weighting), then conv2d(x, w) itself, relu(conv2d(x, w) + bias) (fused) and
 * the gradients of sum(that * r) for x, w and bias.
 */
function grads(c: Case): tf.Tensor[] {
  const x = tf.tensor4d(values(c.x.reduce((a, b) => a * b), 1), c.x);
  const w = tf.tensor4d(values(c.f.reduce((a, b) => a * b), 2), c.f);
  const y = tf.conv2d(x, w, c.strides, c.pad);
  const r = tf.tensor(values(y.size, 3), y.shape);
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)));
  const bias = tf.tensor1d(values(c.f[3], 4));
  const fused = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) =>
    tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: c.strides, pad: c.pad, bias: d, activation: 'relu' });
  const fusedGrads = tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(fused(a, b, d), r)));
  return [...g([x, w]), y, fused(x, w, bias), ...fusedGrads([x, w, bias])];
}

describe('wasm Conv2D, FusedConv2D and their gradients match the cpu backend', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const c of cases) {
    const label = `x ${c.x.join('x')}, filter ${c.f.join('x')}, strides ${String(c.strides)}, pad ${JSON.stringify(c.pad)}`;
    it(label, async () => {
      const [dxCpu, dwCpu, yCpu, ...fusedCpu] = await on('cpu', () => grads(c));
      const [dxWasm, dwWasm, yWasm, ...fusedWasm] = await on('wasm', () => grads(c));
      expect(maxRelDiff(yWasm!, yCpu!)).toBeLessThan(1e-5);
      // relu(conv + bias) and its gradients for x, w and bias.
      fusedWasm.forEach((v, i) => expect(maxRelDiff(v, fusedCpu[i]!), `fused output ${i}`).toBeLessThan(1e-5));
      expect(dxWasm!.length).toBe(c.x.reduce((a, b) => a * b));
      expect(dwWasm!.length).toBe(c.f.reduce((a, b) => a * b));
      expect(maxRelDiff(dxWasm!, dxCpu!)).toBeLessThan(1e-5);
      expect(maxRelDiff(dwWasm!, dwCpu!)).toBeLessThan(1e-5);
    });
  }

  it('frees every intermediate buffer inside the kernels', async () => {
    await tf.setBackend('wasm');
    const c = cases[3]!;
    tf.dispose(tf.tidy(() => grads(c))); // warm up (first calls may allocate caches)
    const before = tf.memory().numTensors;
    const ids = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    for (let i = 0; i < 3; i++) tf.dispose(tf.tidy(() => grads(c)));
    expect(tf.memory().numTensors).toBe(before);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(ids);
  });

  it('is idempotent: a second registration installs nothing', () => {
    expect(registerWasmTrainingKernels()).toEqual([]);
  });
});
