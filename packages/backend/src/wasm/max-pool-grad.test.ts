import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { simdKernelCalls } from './simd-kernels.js';
import { simdPoolShares } from './simd-threads.js';
import { maxRelDiff, on, useSimdPool, useWasmTrainingKernels, values } from './test-utils.js';

type Shape4 = [number, number, number, number];
interface Case { x: Shape4; size: number; strides: number; pad: 'same' | 'valid' | number }

/** The gradient of max pooling by tfjs' MaxPoolGrad kernel, with dy from `seed`. */
function grad(c: Case, x: Float32Array, seed: number): tf.Tensor[] {
  const xs = tf.tensor4d(x, c.x);
  const y = tf.maxPool(xs, c.size, c.strides, c.pad);
  const dy = tf.tensor4d(values(y.size, seed), y.shape as Shape4);
  return [tf.engine().runKernel('MaxPoolGrad', { dy, input: xs, output: y }, { filterSize: c.size, strides: c.strides, pad: c.pad, dimRoundingMode: undefined } as never) as tf.Tensor];
}

const CASES: Case[] = [
  { x: [2, 9, 9, 8], size: 3, strides: 2, pad: 'same' }, // ResNet's stem pool, windows overlapping
  { x: [3, 8, 7, 4], size: 2, strides: 2, pad: 'valid' },
  { x: [1, 6, 6, 12], size: 3, strides: 1, pad: 1 },
  { x: [2, 5, 5, 4], size: 5, strides: 1, pad: 'same' }, // windows mostly outside the input
];

describe('wasm MaxPoolGrad matches the cpu backend', () => {
  useWasmTrainingKernels();

  for (const c of CASES) {
    it(`x ${c.x.join('x')}, ${c.size}x${c.size} /${c.strides}, pad ${c.pad}`, async () => {
      const x = values(c.x.reduce((a, b) => a * b), 1);
      const [cpu] = await on('cpu', () => grad(c, x, 2));
      const before = simdKernelCalls().max_pool_grad ?? 0;
      const [wasm] = await on('wasm', () => grad(c, x, 2));
      expect(simdKernelCalls().max_pool_grad ?? 0).toBeGreaterThan(before); // ours ran, not the stock kernel
      expect(maxRelDiff(wasm!, cpu!)).toBeLessThan(1e-6);
      expect(wasm!.map((v) => (v === 0 ? 0 : 1))).toEqual(cpu!.map((v) => (v === 0 ? 0 : 1)));
    });
  }

  it('ties go to the first largest input of a window (tfjs cpu, PyTorch), NaN and −∞ to none', async () => {
    // One image, one 2x2 window per output, 4 channels: ties of zeros (after a ReLU), a NaN, a window of −∞.
    const c: Case = { x: [1, 2, 4, 4], size: 2, strides: 2, pad: 'valid' };
    const x = new Float32Array(32);
    const set = (r: number, q: number, ch: number, v: number) => { x[(r * 4 + q) * 4 + ch] = v; };
    for (const [r, q] of [[0, 2], [0, 3], [1, 2], [1, 3]]) set(r!, q!, 1, -Infinity); // channel 1, second window: all −∞
    set(1, 0, 2, NaN); // channel 2, first window: NaN among zeros
    set(1, 1, 3, 5); set(0, 1, 3, 5); // channel 3, first window: a tie of 5s
    const [cpu] = await on('cpu', () => grad(c, x, 3));
    const [wasm] = await on('wasm', () => grad(c, x, 3));
    expect(Array.from(wasm!)).toEqual(Array.from(cpu!));
    const at = (r: number, q: number, ch: number) => wasm![(r * 4 + q) * 4 + ch]!;
    expect(at(0, 0, 0)).not.toBe(0); // all zeros: the first
    expect(at(0, 2, 1) + at(0, 3, 1) + at(1, 2, 1) + at(1, 3, 1)).toBe(0); // all −∞: none
    expect(at(0, 1, 3)).not.toBe(0); // the first 5
    expect(at(1, 1, 3)).toBe(0);
  });

  it('refuses a dy of the wrong shape, naming both', () => {
    const xs = tf.zeros([1, 4, 4, 4]);
    const dy = tf.zeros([1, 3, 3, 4]);
    expect(() => tf.engine().runKernel('MaxPoolGrad', { dy, input: xs, output: dy }, { filterSize: 2, strides: 2, pad: 'valid' } as never))
      .toThrow(/dy must be shaped \[1,2,2,4\].*got \[1,3,3,4\]/);
    tf.dispose([xs, dy]);
  });
});

describe('wasm MaxPoolGrad on two threads', () => {
  useSimdPool(2);

  it('splits a large call over the worker and matches the cpu backend', async () => {
    for (const c of [{ x: [4, 64, 64, 16], size: 3, strides: 2, pad: 'same' }, { x: [1, 96, 96, 32], size: 3, strides: 2, pad: 'same' }] as Case[]) {
      const x = values(c.x.reduce((a, b) => a * b), 4);
      const [cpu] = await on('cpu', () => grad(c, x, 5));
      const before = simdPoolShares().max_pool_grad ?? 0;
      const [wasm] = await on('wasm', () => grad(c, x, 5));
      expect(simdPoolShares().max_pool_grad ?? 0).toBeGreaterThan(before);
      expect(maxRelDiff(wasm!, cpu!)).toBeLessThan(1e-6);
    }
  });
});
