import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, describe, expect, it } from 'vitest';
import { CONV2D_RESIDUAL } from './conv2d-residual.js';
import { setSimdKernelOptions, simdKernelCalls } from './simd-kernels.js';
import { simdPoolShares } from './simd-threads.js';
import { maxRelDiff, on, useWasmTrainingKernels, values, useSimdPool } from './test-utils.js';

type Shape4 = [number, number, number, number];

/** One 1×1 convolution: input shape, output channels, strides, and its epilogue. */
interface Case {
  x: Shape4;
  co: number;
  strides: number | [number, number];
  bias?: boolean;
  relu?: boolean;
  residual?: boolean;
  pad?: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
}

const t = (shape: number[], seed: number) => tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);

/**
 * The case on the current backend. On wasm with a residual, the fused
 * CONV2D_RESIDUAL kernel (bias, residual and ReLU in the kernel's epilogue);
 * elsewhere (the cpu reference), fused conv2d, add and relu one after another.
 */
function conv(c: Case, fusedResidual: boolean): tf.Tensor[] {
  const x = t(c.x, 1) as tf.Tensor4D;
  const filter = t([1, 1, c.x[3], c.co], 2) as tf.Tensor4D;
  const bias = c.bias ? t([c.co], 3) : undefined;
  const pad = c.pad ?? 'same';
  if (!c.residual) return [tf.fused.conv2d({ x, filter, strides: c.strides, pad, bias, activation: c.relu ? 'relu' : 'linear' })];
  const [sh, sw] = typeof c.strides === 'number' ? [c.strides, c.strides] : c.strides;
  // A 1×1 convolution, unpadded ('same' pads nothing then): ceil(h / sh) × ceil(w / sw) pixels.
  const residual = t([c.x[0], Math.ceil(c.x[1] / sh), Math.ceil(c.x[2] / sw), c.co], 4);
  if (fusedResidual) {
    const inputs: tf.NamedTensorMap = bias == null ? { x, filter, residual } : { x, filter, bias, residual };
    return [tf.engine().runKernel(CONV2D_RESIDUAL, inputs, { strides: c.strides, pad, relu: c.relu ?? false }) as tf.Tensor];
  }
  const sum = tf.add(tf.fused.conv2d({ x, filter, strides: c.strides, pad, bias }), residual);
  return [c.relu ? tf.relu(sum) : sum];
}

/** Runs `c` on cpu and on wasm; returns the largest relative difference and how many conv1x1 calls wasm made. */
async function compare(c: Case): Promise<{ diff: number; calls: number }> {
  const [want] = await on('cpu', () => conv(c, false));
  const before = simdKernelCalls().conv1x1 ?? 0;
  const [got] = await on('wasm', () => conv(c, true));
  return { diff: maxRelDiff(got!, want!), calls: (simdKernelCalls().conv1x1 ?? 0) - before };
}

const name = (c: Case) => `x ${c.x.join('×')} → ${c.co} channels, stride ${String(c.strides)}` +
  `${c.bias ? ', bias' : ''}${c.residual ? ', residual' : ''}${c.relu ? ', relu' : ''}${Array.isArray(c.pad) ? ', padded' : ''}`;

describe('1×1 convolutions by the matrix-product kernel (conv1x1) match the cpu backend', () => {
  useWasmTrainingKernels();
  afterEach(() => {
    setSimdKernelOptions({ gemm: true });
  });

  // Input channels not multiples of 4; output channels 4 more than a multiple of 8
  // (a 4-wide last block); spatial sizes below one 4-pixel tile; batch > 1 (tiles
  // that cross rows and images); strides 1, 2 and unequal; every epilogue.
  const cases: Case[] = [
    { x: [1, 1, 1, 5], co: 4, strides: 1 },
    { x: [1, 1, 2, 4], co: 8, strides: 1, bias: true },
    { x: [2, 3, 5, 7], co: 12, strides: 1, bias: true, relu: true },
    { x: [3, 2, 3, 9], co: 20, strides: 1, residual: true },
    { x: [1, 7, 7, 13], co: 20, strides: 2, bias: true },
    { x: [2, 6, 6, 11], co: 8, strides: 2, bias: true, relu: true, residual: true },
    { x: [3, 5, 4, 6], co: 12, strides: [1, 2], relu: true, residual: true },
    { x: [2, 9, 9, 64], co: 36, strides: 1, bias: true, relu: true, residual: true },
    { x: [1, 14, 14, 66], co: 24, strides: 2, bias: true, residual: true, pad: 'valid' },
    // ci = 2050: pixels come in chunks of 8 (32768 floats / ci, a multiple of 8), so 35 pixels take five, the last of 3.
    { x: [1, 5, 7, 2050], co: 12, strides: 1, bias: true, relu: true },
  ];
  for (const c of cases) {
    it(name(c), async () => {
      const { diff, calls } = await compare(c);
      expect(diff).toBeLessThan(1e-5);
      expect(calls).toBe(1);
    });
  }

  it('the same cases by the direct kernel when gemm is off (the kernel the option replaces)', async () => {
    setSimdKernelOptions({ gemm: false });
    for (const c of cases.slice(2, 6)) {
      const { diff, calls } = await compare(c);
      expect([name(c), diff < 1e-5, calls]).toEqual([name(c), true, 0]);
    }
  });

  it('a padded 1×1 convolution goes to the direct kernel, and matches', async () => {
    const { diff, calls } = await compare({ x: [1, 4, 5, 8], co: 8, strides: 1, bias: true, pad: [[0, 0], [1, 1], [1, 0], [0, 0]] });
    expect(diff).toBeLessThan(1e-5);
    expect(calls).toBe(0);
  });

  it('repeated calls with the same filter (packed afresh each time) match and leave no tensor', async () => {
    await tf.setBackend('wasm');
    const c: Case = { x: [2, 5, 5, 12], co: 16, strides: 1, bias: true };
    const want = (await on('cpu', () => conv(c, false)))[0]!;
    await tf.setBackend('wasm');
    const x = t(c.x, 1) as tf.Tensor4D;
    const filter = t([1, 1, 12, 16], 2) as tf.Tensor4D;
    const bias = t([16], 3);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const y = tf.fused.conv2d({ x, filter, strides: 1, pad: 'same', bias });
      expect(maxRelDiff(y.dataSync() as Float32Array, want)).toBeLessThan(1e-5);
      y.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, filter, bias]);
  });
});

describe('conv1x1 split over a kernel worker matches the cpu backend', () => {
  useSimdPool(2);

  // ≥ 2^20 multiply-accumulates, so split: by rows (28 rows), by output channels (7 rows of batch 1), strided.
  const cases: Case[] = [
    { x: [2, 14, 14, 96], co: 64, strides: 1, bias: true, relu: true, residual: true },
    { x: [1, 7, 7, 515], co: 64, strides: 1, bias: true, relu: true },
    { x: [1, 15, 15, 257], co: 132, strides: 2, bias: true, residual: true },
  ];
  const splitByRows = [true, false, true]; // 28 rows, 7 rows, 8 rows
  cases.forEach((c, k) => {
    it(name(c), async () => {
      const shares = simdPoolShares().conv1x1 ?? 0;
      const { diff, calls } = await compare(c);
      expect(diff).toBeLessThan(1e-5);
      // Split by rows, the filter is packed first (a call of no rows), then this thread's share; by channels, each thread packs its own.
      expect(calls).toBe(splitByRows[k] ? 2 : 1);
      expect((simdPoolShares().conv1x1 ?? 0) - shares).toBe(1);
    });
  });

  it('a large filter (256 KB or more) is packed by both threads, each a block of output channels, then split by rows', async () => {
    const c: Case = { x: [1, 16, 16, 256], co: 256, strides: 1, bias: true, relu: true }; // a 256×256 filter: 65,536 floats
    const shares = simdPoolShares().conv1x1 ?? 0;
    const { diff, calls } = await compare(c);
    expect(diff).toBeLessThan(1e-5);
    // Here: half the packing (no rows), then half the rows; on the worker the same.
    expect(calls).toBe(2);
    expect((simdPoolShares().conv1x1 ?? 0) - shares).toBe(2);
  });
});
