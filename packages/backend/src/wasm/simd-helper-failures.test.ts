import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { Worker as NodeWorker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerWasmTrainingKernels } from '../register-wasm.js';
import { helperLayout } from './split.js';
import { setHelperWaitLimit, simdHelper, startSimdHelper, stopSimdHelper, type SimdHelper } from './simd-threads.js';
import { maxRelDiff, on, values } from './test-utils.js';

// Every helper thread started in this file, and a script to start instead of the helper's (to make one fail).
const spawned = vi.hoisted(() => ({ workers: [] as NodeWorker[], source: null as string | null }));
vi.mock('#platform', async (importOriginal) => {
  const real = (await importOriginal<typeof import('../platform/node.js')>()).platform;
  return {
    platform: {
      ...real,
      workerThreads: async () => {
        const threads = (await real.workerThreads())!;
        class Recorded extends threads.Worker {
          constructor(source: string, options: ConstructorParameters<typeof threads.Worker>[1]) {
            super(spawned.source ?? source, options);
            spawned.workers.push(this);
          }
        }
        return { ...threads, Worker: Recorded };
      },
    },
  };
});

const X: [number, number, number, number] = [4, 24, 24, 16];
const F: [number, number, number, number] = [3, 3, 16, 16];
/** A convolution big enough to be split over the helper, and its input gradient. */
const convAndGrad = () => {
  const x = tf.tensor4d(values(X.reduce((a, b) => a * b), 1), X);
  const w = tf.tensor4d(values(F.reduce((a, b) => a * b), 2), F);
  return [tf.conv2d(x, w, 1, 'same'), tf.grad((a: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, w, 1, 'same')))(x)];
};

/** The filter gradient of the same convolution for a fixed output gradient (a split kernel of its own). */
const filterGrad = () => {
  const x = tf.tensor4d(values(X.reduce((a, b) => a * b), 1), X);
  const dy = tf.tensor4d(values(X[0] * X[1] * X[2] * F[3], 3), [X[0], X[1], X[2], F[3]]);
  return [tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: F }) as tf.Tensor];
};

/** Replaces the helper's next job by a long convolution of its own (about 1.4 G multiply-adds). */
const longJob = (h: SimdHelper) => {
  const [x, f, p, z, o] = helperLayout(h, [192 * 192 * 64, 9 * 64 * 64, 9 * 64 * 64, 64, 192 * 192 * 64]) as number[];
  h.start({ kernel: 'conv2d', args: { in: x!, f: f!, bias: 0, res: 0, out: o!, zeros: z!, packed: p!, row0: 0, row1: 192, o0: 0, o1: 64,
    h: 192, w: 192, ci: 64, ho: 192, wo: 192, co: 64, fh: 3, fw: 3, sh: 1, sw: 1, dh: 1, dw: 1, pt: 1, pl: 1, relu: 0 } });
};

/** Makes the helper's next start run `kernel` on its own memory with `args` instead of the caller's job. */
function replaceNextJob(helper: SimdHelper, job: (h: SimdHelper) => void): void {
  const start = helper.start;
  (helper as { start: SimdHelper['start'] }).start = () => {
    (helper as { start: SimdHelper['start'] }).start = start;
    job(helper);
  };
}

describe('the helper thread fails loudly, never hangs, and can be restarted', () => {
  let reference: Float32Array[];
  beforeAll(async () => {
    registerWasmTrainingKernels();
    reference = await on('cpu', convAndGrad);
  });
  afterAll(async () => {
    await stopSimdHelper();
    await tf.setBackend('cpu');
  });

  it('two concurrent starts start one thread', async () => {
    await stopSimdHelper();
    const before = spawned.workers.length;
    const [a, b] = await Promise.all([startSimdHelper(), startSimdHelper()]);
    expect([a, b]).toEqual([true, true]);
    expect(spawned.workers.length).toBe(before + 1);
    expect(await startSimdHelper()).toBe(true);
    expect(spawned.workers.length).toBe(before + 1);
  });

  it('a kernel failing on the helper reports the worker\'s own error; the helper stays usable', async () => {
    expect(await startSimdHelper()).toBe(true);
    await tf.setBackend('wasm');
    // The helper's next job reads far past its memory: a trap on the helper thread.
    replaceNextJob(simdHelper()!, (h) => h.start({ kernel: 'conv2d_filter_grad', args: { x: 0x7ff00000, dy: 0x7ff00000, dw: 64, n: 4, h: 8, w: 8, ci: 4,
      ho: 8, wo: 8, co: 4, fh: 3, fw: 3, sh: 1, sw: 1, pt: 1, pl: 1 } }));
    expect(() => tf.tidy(convAndGrad)).toThrow(/failed on the helper thread: RuntimeError: memory access out of bounds/);
    expect(simdHelper()).not.toBeNull();
    const got = await on('wasm', convAndGrad);
    got.forEach((v, i) => expect(maxRelDiff(v, reference[i]!)).toBeLessThan(1e-5));
  });

  it('a helper that does not finish in time is retired; the kernel finishes on the calling thread', async () => {
    expect(await startSimdHelper()).toBe(true);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const limit = setHelperWaitLimit(1);
    try {
      // The helper's next job runs far beyond 1 ms (and 20 times this thread's share).
      replaceNextJob(simdHelper()!, longJob);
      const got = await on('wasm', convAndGrad);
      got.forEach((v, i) => expect(maxRelDiff(v, reference[i]!)).toBeLessThan(1e-5));
      expect(simdHelper()).toBeNull();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/did not finish a kernel within \d+ ms.*continue on the calling thread/));
      // The same for the filter gradient (split by images).
      const filterRef = await on('cpu', filterGrad);
      expect(await startSimdHelper()).toBe(true);
      replaceNextJob(simdHelper()!, longJob);
      const dw = await on('wasm', filterGrad);
      expect(maxRelDiff(dw[0]!, filterRef[0]!)).toBeLessThan(1e-5);
      expect(simdHelper()).toBeNull();
    } finally {
      setHelperWaitLimit(limit);
      warn.mockRestore();
    }
    expect(await startSimdHelper()).toBe(true);
    const again = await on('wasm', convAndGrad);
    again.forEach((v, i) => expect(maxRelDiff(v, reference[i]!)).toBeLessThan(1e-5));
  });

  it('a helper that dies between kernels is noticed (exit event); kernels run on the calling thread until a restart', async () => {
    expect(await startSimdHelper()).toBe(true);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await spawned.workers.at(-1)!.terminate();
      await new Promise((resolve) => setImmediate(resolve));
      expect(simdHelper()).toBeNull();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/the helper thread exited with code 1/));
      const got = await on('wasm', convAndGrad);
      got.forEach((v, i) => expect(maxRelDiff(v, reference[i]!)).toBeLessThan(1e-5));
    } finally {
      warn.mockRestore();
    }
    expect(await startSimdHelper()).toBe(true);
    expect(simdHelper()).not.toBeNull();
  });

  it('a helper that fails to start rejects with the worker\'s own error', async () => {
    await stopSimdHelper();
    spawned.source = "throw new Error('no kernels here')";
    try {
      await expect(startSimdHelper()).rejects.toThrow(/helper thread failed: no kernels here/);
      expect(simdHelper()).toBeNull();
    } finally {
      spawned.source = null;
    }
    expect(await startSimdHelper()).toBe(true);
  });
});
