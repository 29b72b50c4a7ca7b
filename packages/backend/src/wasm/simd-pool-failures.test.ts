import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerWasmTrainingKernels } from '../register-wasm.js';
import type { KernelWorker } from '../platform/types.js';
import { setPoolWaitLimit, simdPool, simdPoolShares, startSimdPool, stopSimdPool } from './simd-threads.js';
import { setSimdKernelOptions, simdKernelCalls } from './simd-kernels.js';
import { partCount } from './split.js';
import { maxRelDiff, on, values, wasmMemory } from './test-utils.js';

// Every kernel worker started in this file, and a change to make to the next ones' loop (to make them fail).
const spawned = vi.hoisted(() => ({ workers: [] as KernelWorker[], edit: null as ((loop: string) => string) | null }));
vi.mock('#platform', async (importOriginal) => {
  const real = (await importOriginal<typeof import('../platform/node.js')>()).platform;
  return {
    platform: {
      ...real,
      startKernelWorker: async (loop: string, data: unknown) => {
        const w = await real.startKernelWorker(spawned.edit?.(loop) ?? loop, data as Parameters<typeof real.startKernelWorker>[1]);
        if (w != null) spawned.workers.push(w);
        return w;
      },
    },
  };
});

/** The worker loop's kernel call, replaced by `code`. */
const replaceCall = (code: string) => (loop: string) => {
  const call = 'f(...args);';
  if (!loop.includes(call)) throw new Error('test: the worker loop no longer has the call this test replaces');
  return loop.replace(call, code);
};

const X: [number, number, number, number] = [4, 24, 24, 16];
const F: [number, number, number, number] = [3, 3, 16, 16];
/** A convolution big enough to be split over a worker, and its input gradient. */
const convAndGrad = () => {
  const x = tf.tensor4d(values(X.reduce((a, b) => a * b), 1), X);
  const w = tf.tensor4d(values(F.reduce((a, b) => a * b), 2), F);
  return [tf.conv2d(x, w, 1, 'same'), tf.grad((a: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, w, 1, 'same')))(x)];
};

/** The filter gradient of the same convolution for a fixed output gradient (split by images). */
const filterGrad = () => {
  const x = tf.tensor4d(values(X.reduce((a, b) => a * b), 1), X);
  const dy = tf.tensor4d(values(X[0] * X[1] * X[2] * F[3], 3), [X[0], X[1], X[2], F[3]]);
  return [tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: F }) as tf.Tensor];
};

/** Starts a pool of 2 whose worker runs `edit`'s loop. */
async function startWith(edit: ((loop: string) => string) | null): Promise<void> {
  await stopSimdPool();
  spawned.edit = edit;
  try {
    expect(await startSimdPool(wasmMemory(), 2)).toBe(true);
  } finally {
    spawned.edit = null;
  }
}

describe('kernel workers fail loudly, never hang, and can be restarted', () => {
  let reference: Float32Array[];
  beforeAll(async () => {
    registerWasmTrainingKernels();
    reference = await on('cpu', convAndGrad);
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await stopSimdPool();
    await tf.setBackend('cpu');
  });

  it('two concurrent starts start one worker', async () => {
    await stopSimdPool();
    const before = spawned.workers.length;
    const [a, b] = await Promise.all([startSimdPool(wasmMemory(), 2), startSimdPool(wasmMemory(), 2)]);
    expect([a, b]).toEqual([true, true]);
    expect(spawned.workers.length).toBe(before + 1);
    expect(await startSimdPool(wasmMemory(), 2)).toBe(true);
    expect(spawned.workers.length).toBe(before + 1);
  });

  it('a kernel failing on a worker throws the worker\'s own error and frees what the op allocated', async () => {
    await startWith(replaceCall("throw new RuntimeError('memory access out of bounds (test)');".replace('RuntimeError', 'WebAssembly.RuntimeError')));
    const ids = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    expect(() => tf.tidy(() => {
      convAndGrad();
    })).toThrow(/failed on a kernel worker: RuntimeError: memory access out of bounds \(test\)/);
    expect(() => tf.tidy(filterGrad)).toThrow(/failed on a kernel worker/);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(ids);
    await startWith(null);
    const got = await on('wasm', convAndGrad);
    got.forEach((v, i) => expect(maxRelDiff(v, reference[i]!)).toBeLessThan(1e-5));
  });

  it('a worker the machine delays hands its later parts to the calling thread: the call is not held up part by part', async () => {
    // The worker sleeps 300 ms before its first part; a split by fixed shares would leave half the call to it.
    await startWith(replaceCall('if (part === thread) { const t = performance.now() + 300; while (performance.now() < t); } f(...args);'));
    setSimdKernelOptions({ winograd: 4 });
    try {
      const xs: [number, number, number, number] = [16, 32, 32, 16]; // 16 images × 8 rows of 4×4 tiles
      const conv = () => [tf.conv2d(tf.tensor4d(values(16 * 32 * 32 * 16, 1), xs), tf.tensor4d(values(9 * 16 * 16, 2), [3, 3, 16, 16]), 1, 'same')];
      const ref = await on('cpu', conv);
      const parts = partCount(2, 16 * 8, 8);
      expect(parts).toBeGreaterThan(2);
      const [calls, shares] = [simdKernelCalls().winograd_conv2d ?? 0, simdPoolShares().winograd_conv2d ?? 0];
      const got = await on('wasm', conv);
      expect(maxRelDiff(got[0]!, ref[0]!)).toBeLessThan(1e-5);
      // Here: the filter's transform (a call of no rows), this thread's first part and every part after the two first.
      expect((simdKernelCalls().winograd_conv2d ?? 0) - calls).toBe(1 + parts - 1);
      expect((simdPoolShares().winograd_conv2d ?? 0) - shares).toBe(1);
    } finally {
      setSimdKernelOptions({ winograd: 'auto' });
    }
    await startWith(null);
  });

  it('a worker that does not finish in time is given up; the calling thread computes its share', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const limit = setPoolWaitLimit(50);
    try {
      await startWith(replaceCall('for (;;) {}'));
      const got = await on('wasm', convAndGrad);
      got.forEach((v, i) => expect(maxRelDiff(v, reference[i]!)).toBeLessThan(1e-5));
      expect(simdPool(wasmMemory())).toBeNull();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/did not finish a share of \w+ within \d+ ms.*continue on the calling thread alone/));
      const filterRef = await on('cpu', filterGrad);
      await startWith(replaceCall('for (;;) {}'));
      const dw = await on('wasm', filterGrad);
      expect(maxRelDiff(dw[0]!, filterRef[0]!)).toBeLessThan(1e-5);
      expect(simdPool(wasmMemory())).toBeNull();
    } finally {
      setPoolWaitLimit(limit);
      warn.mockRestore();
    }
    await startWith(null);
    const again = await on('wasm', convAndGrad);
    again.forEach((v, i) => expect(maxRelDiff(v, reference[i]!)).toBeLessThan(1e-5));
  });

  it('a worker that dies between kernels is noticed; kernels run on the calling thread until a restart', async () => {
    await startWith(replaceCall("process.exit(3);"));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // The worker exits on its first share: the pool waits out the deadline at most, then computes that share here.
      const limit = setPoolWaitLimit(200);
      const got = await on('wasm', convAndGrad).finally(() => setPoolWaitLimit(limit));
      got.forEach((v, i) => expect(maxRelDiff(v, reference[i]!)).toBeLessThan(1e-5));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(simdPool(wasmMemory())).toBeNull();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/kernel worker (exited with code 3|did not finish)/));
    } finally {
      warn.mockRestore();
    }
    await startWith(null);
    expect(simdPool(wasmMemory())).not.toBeNull();
  });

  it('a worker that fails to start rejects with its own error', async () => {
    await stopSimdPool();
    spawned.edit = () => "throw new Error('no kernels here')";
    try {
      await expect(startSimdPool(wasmMemory(), 2)).rejects.toThrow(/kernel worker failed: no kernels here/);
      expect(simdPool(wasmMemory())).toBeNull();
    } finally {
      spawned.edit = null;
    }
    expect(await startSimdPool(wasmMemory(), 2)).toBe(true);
  });
});
