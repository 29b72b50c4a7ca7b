import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './register.js';
import { maxRelDiff, on, values } from './test-utils.js';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

const cases: Case[] = [
  { x: [2, 7, 9, 3], f: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [1, 9, 7, 3], f: [3, 3, 3, 5], strides: 2, pad: 'same' }, // batch 1, odd sizes
  { x: [2, 8, 10, 4], f: [3, 3, 4, 2], strides: 2, pad: 'same' }, // TF 'same' pads bottom/right more
  { x: [2, 9, 8, 2], f: [3, 3, 2, 3], strides: 2, pad: 'valid' }, // last row never read
  { x: [2, 6, 6, 3], f: [3, 3, 3, 3], strides: 1, pad: 'valid' },
  { x: [2, 8, 8, 4], f: [1, 1, 4, 6], strides: 2, pad: 'valid' }, // projection shortcut
  { x: [1, 11, 11, 2], f: [5, 5, 2, 3], strides: 2, pad: 'same' },
  { x: [2, 7, 6, 3], f: [3, 1, 3, 2], strides: [2, 1], pad: 'same' },
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], strides: 2, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] }, // PyTorch-style
  { x: [1, 5, 5, 2], f: [3, 3, 2, 2], strides: 1, pad: [[0, 0], [3, 3], [3, 2], [0, 0]] }, // pad > filter: stock fallback
  // Output channels a multiple of 4: the SIMD filter-gradient kernel (4- and 8-wide tiles, 1- and 4-row tiles).
  { x: [2, 9, 7, 5], f: [3, 3, 5, 8], strides: 2, pad: 'same' },
  { x: [1, 7, 7, 8], f: [3, 3, 8, 12], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 4], f: [1, 1, 4, 8], strides: 2, pad: 'valid' },
  { x: [1, 6, 7, 4], f: [3, 3, 4, 16], strides: [1, 2], pad: 'valid' },
  { x: [1, 5, 5, 4], f: [3, 3, 4, 4], strides: 1, pad: [[0, 0], [3, 3], [3, 2], [0, 0]] }, // pad > filter, all SIMD
  { x: [2, 9, 9, 8], f: [3, 3, 8, 8], strides: 2, pad: [[0, 0], [0, 2], [1, 0], [0, 0]] }, // lopsided pads, stride 2
  { x: [1, 3, 3, 1], f: [5, 5, 1, 4], strides: 3, pad: 'same' }, // taps that never touch the image
];

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
