import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { setSimdKernelOptions, simdKernelCalls } from './simd-kernels.js';
import { simdPool, simdPoolShares, startSimdPool, stopSimdPool } from './simd-threads.js';
import { chooseSplit } from './conv2d-simd.js';
import { fusedConvAndGrads } from '../kernel-cases.js';
import { maxRelDiff, on, useSimdPool, values, wasmMemory } from './test-utils.js';

type Shape4 = [number, number, number, number];

/** How many shares of each kernel the workers ran while `fn` ran. */
async function sharesDuring<T>(fn: () => Promise<T>): Promise<[T, Record<string, number>]> {
  const before = simdPoolShares();
  const result = await fn();
  const after = simdPoolShares();
  return [result, Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v !== 0))];
}

describe('SIMD kernels split over kernel workers, in place on tfjs\' shared memory', () => {
  useSimdPool(2);

  it('tfjs\' memory is shared, and the pool computes on it', () => {
    expect(wasmMemory().buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(simdPool(wasmMemory())).toMatchObject({ threads: 2 });
  });

  // Large enough to be split (≥ 2^20 multiply-accumulates); odd batch and rows so the shares differ.
  const cases: Array<[Shape4, Shape4, number, 'same' | 'valid', Record<string, number>]> = [
    // forward twice (y, then under tf.grads), the input gradient, the filter gradient; all 3×3 stride 1: Winograd
    [[4, 24, 24, 16], [3, 3, 16, 16], 1, 'same', { winograd_conv2d: 3, winograd_filter_grad: 1 }],
    [[5, 33, 32, 12], [3, 3, 12, 16], 2, 'same', { conv2d: 3, conv2d_filter_grad: 1 }],
    [[1, 95, 93, 8], [3, 3, 8, 16], 2, 'valid', { conv2d: 3 }], // batch 1: rows of one image are split, the filter gradient is not
  ];
  for (const [xs, fs, strides, pad, expected] of cases) {
    it(`x ${xs.join('×')}, filter ${fs.join('×')}, stride ${strides}, ${pad}: same as cpu, a share of each kernel on the worker`, async () => {
      const ref = await on('cpu', () => fusedConvAndGrads({ x: xs, f: fs, strides, pad }));
      const [got, shares] = await sharesDuring(() => on('wasm', () => fusedConvAndGrads({ x: xs, f: fs, strides, pad })));
      expect(shares).toEqual(expected);
      expect(got).toHaveLength(4);
      got.forEach((v, i) => expect(maxRelDiff(v, ref[i]!), `output ${i}`).toBeLessThan(1e-5));
    });
  }

  it('a layer of few rows (7×7, batch 1) is split by output channels: same as cpu', async () => {
    expect(chooseSplit(7, 64, 2)).toEqual({ by: 'channels', threads: 2, bounds: [0, 32, 64] });
    expect(chooseSplit(7, 8, 2)).toEqual({ by: 'units', threads: 2, bounds: [0, 4, 7] }); // too few channels for 2 blocks of 8
    expect(chooseSplit(24, 64, 2)).toEqual({ by: 'units', threads: 2, bounds: [0, 12, 24] }); // parts of 8 rows or more
    expect(chooseSplit(1024, 16, 2)).toEqual({ by: 'units', threads: 2, bounds: [0, 128, 256, 384, 512, 640, 768, 896, 1024] }); // 4 parts a thread
    const xs: Shape4 = [1, 7, 7, 64];
    const fs: Shape4 = [3, 3, 64, 64];
    const ref = await on('cpu', () => fusedConvAndGrads({ x: xs, f: fs, strides: 1, pad: 'same' }));
    setSimdKernelOptions({ winograd: 0 }); // the direct kernel: 7 output rows
    try {
      const [got, shares] = await sharesDuring(() => on('wasm', () => fusedConvAndGrads({ x: xs, f: fs, strides: 1, pad: 'same' })));
      got.forEach((v, i) => expect(maxRelDiff(v, ref[i]!), `output ${i}`).toBeLessThan(1e-5));
      // The filter gradient of 64 channels goes by the matrix product (filter-grad-gemm.ts), split by rows.
      expect(shares).toEqual({ conv2d: 3, conv1x1: 1 });
    } finally {
      setSimdKernelOptions({ winograd: 'auto' });
    }
  });

  it('training-mode BatchNorm (moments, input gradient), inference BatchNorm and ReLU\'s gradient are split too: same as cpu', async () => {
    const shape: Shape4 = [8, 32, 32, 64]; // 2^19 elements
    const data = values(shape.reduce((a, b) => a * b), 5);
    const step = () => {
      const x = tf.tensor4d(data, shape);
      const gamma = tf.linspace(0.5, 1.5, 64);
      const [mean, variance] = (() => {
        const m = tf.moments(x, [0, 1, 2]);
        return [m.mean, m.variance];
      })();
      const y = tf.batchNorm(x, mean, variance, tf.zeros([64]), gamma, 1e-3);
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), a)))(x);
      return [y, g];
    };
    const ref = await on('cpu', step);
    const [got, shares] = await sharesDuring(() => on('wasm', step));
    got.forEach((v, i) => expect(maxRelDiff(v, ref[i]!), `output ${i}`).toBeLessThan(1e-5));
    expect(shares.relu_grad).toBe(1);
    expect(shares.channel_affine).toBe(1);
  });

  it('large Slice and PadV2 (the option-A shortcut at batch 16) are split too: same as cpu', async () => {
    const data = values(16 * 32 * 32 * 16, 7);
    const step = () => {
      const x = tf.tensor4d(data, [16, 32, 32, 16]);
      return [tf.pad(x, [[0, 0], [0, 0], [0, 0], [8, 8]]), tf.slice(tf.reshape(x, [16, 16, 2, 16, 2, 16]), [0, 0, 0, 0, 0, 0], [16, 16, 1, 16, 1, 16])];
    };
    const ref = await on('cpu', step);
    const [got, shares] = await sharesDuring(() => on('wasm', step));
    got.forEach((v, i) => expect(maxRelDiff(v, ref[i]!), `output ${i}`).toBe(0));
    expect(shares.copy_box).toBe(1); // the pad; the subsampled box (65,536 elements) is too small to split
  });

  it('stops and restarts; kernels run on one thread in between, and the counts say so', async () => {
    await stopSimdPool();
    expect(simdPool(wasmMemory())).toBeNull();
    const [xs, fs, s, p] = cases[0]!;
    const ref = await on('cpu', () => fusedConvAndGrads({ x: xs, f: fs, strides: s, pad: p }));
    const calls = simdKernelCalls().winograd_conv2d ?? 0;
    const [got, shares] = await sharesDuring(() => on('wasm', () => fusedConvAndGrads({ x: xs, f: fs, strides: s, pad: p })));
    got.forEach((v, i) => expect(maxRelDiff(v, ref[i]!)).toBeLessThan(1e-5));
    expect(shares).toEqual({});
    expect((simdKernelCalls().winograd_conv2d ?? 0) - calls).toBe(3);
    expect(await startSimdPool(wasmMemory(), 2)).toBe(true);
  });

  it('tensors and the heap stay flat over repeated split steps', async () => {
    await tf.setBackend('wasm');
    const [xs, fs, s, p] = cases[1]!;
    const run = () => tf.dispose(tf.tidy(() => fusedConvAndGrads({ x: xs, f: fs, strides: s, pad: p })));
    run();
    const tensors = tf.memory().numTensors;
    const heap = wasmMemory().buffer.byteLength;
    for (let i = 0; i < 5; i++) run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(wasmMemory().buffer.byteLength).toBe(heap);
  });
});
