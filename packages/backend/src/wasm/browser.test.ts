/**
 * Our SIMD kernels in Debian's Chromium (playwright-core), on tfjs' SIMD build,
 * its own memory (a page that is not cross-origin isolated) or a shared one we
 * give it (COOP + COEP; tfjs would otherwise pick its threaded build), on the
 * main thread and in a Web Worker: `BackendInfo.wasm` must say
 * our kernels run, and on how many threads (isolated: the cores, through
 * kernel workers on tfjs' memory), the call and share counters must show that
 * they ran there, and the result must match the cpu backend's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPages, type TestPages } from '../browser-page.js';
import type { WasmEngineInfo } from './engine-info.js';
import { partCount } from './split.js';

// One bundle, run as the page's script and as a module worker: select wasm, convolve, count our kernel calls, compare with cpu.
const PAGE = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend, simdKernelCalls, simdPoolShares } from './index.js';

const convCalls = () => { const c = simdKernelCalls(); return (c.conv2d ?? 0) + (c.winograd_conv2d ?? 0); };
const convShares = () => simdPoolShares().conv2d ?? 0;
const values = (n, k) => Float32Array.from({ length: n }, (_, i) => Math.sin(k * 1.7 + i * 0.731));

async function check() {
  setWasmPaths(new URL('/', self.location.href).href);
  const info = await selectBackend('wasm');
  // 4.7 M multiply-adds: split over the kernel workers where there are some.
  const xs = [values(2 * 32 * 32 * 16, 1), [2, 32, 32, 16]];
  const fs = [values(3 * 3 * 16 * 32, 2), [3, 3, 16, 32]];
  const conv = () => tf.tidy(() => tf.conv2d(tf.tensor4d(...xs), tf.tensor4d(...fs), [1, 2], 'same').dataSync().slice());
  const [before, sharesBefore] = [convCalls(), convShares()];
  const got = conv();
  const [ran, shares] = [convCalls() - before, convShares() - sharesBefore];
  await tf.setBackend('cpu');
  const want = conv();
  let diff = 0, scale = 0;
  for (let i = 0; i < want.length; i++) { diff = Math.max(diff, Math.abs(got[i] - want[i])); scale = Math.max(scale, Math.abs(want[i])); }
  return { crossOriginIsolated: self.crossOriginIsolated, cores: navigator.hardwareConcurrency, wasm: info.wasm, patches: info.patches, device: info.device, ran, shares, relDiff: diff / scale, size: got.length };
}

if (typeof window === 'undefined') {
  self.onmessage = () => check().then((result) => self.postMessage({ result }), (e) => self.postMessage({ error: String(e && e.stack || e) }));
} else {
  window.check = check;
  window.checkInWorker = () => new Promise((resolve, reject) => {
    const w = new Worker('/page.js', { type: 'module' });
    w.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.result));
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage('go');
  });
}
`;

interface Result { crossOriginIsolated: boolean; cores: number; wasm: WasmEngineInfo; patches: string[]; device: string; ran: number; shares: number; relDiff: number; size: number }

describe('our SIMD kernels run in Chromium, isolated or not, main thread or worker (issue 26)', () => {
  let pages: TestPages;

  beforeAll(async () => {
    pages = await testPages(PAGE);
  });
  afterAll(async () => {
    await pages?.close();
  });

  async function run(kind: 'plain' | 'isolated', where: 'main' | 'worker'): Promise<Result> {
    const { page, errors } = await pages.open(kind === 'isolated', 'check');
    try {
      const result = await page.evaluate((w) => (w === 'main'
        ? (window as unknown as { check(): Promise<unknown> }).check()
        : (window as unknown as { checkInWorker(): Promise<unknown> }).checkInWorker()), where) as Result;
      expect(errors).toEqual([]);
      return result;
    } finally {
      await page.close();
    }
  }

  for (const kind of ['plain', 'isolated'] as const) {
    for (const where of ['main', 'worker'] as const) {
      it(`${kind === 'isolated' ? 'cross-origin isolated (tfjs SIMD build on a shared memory, kernel workers)' : 'not isolated (tfjs SIMD build, its own memory)'}, ${where === 'main' ? 'main thread' : 'Web Worker'}`, async () => {
        const r = await run(kind, where);
        expect(r.crossOriginIsolated).toBe(kind === 'isolated');
        expect(r.wasm.sharedMemory).toBe(kind === 'isolated');
        // Isolated: a kernel worker a core beyond the first, sharing tfjs' memory; not isolated: nothing to share, one thread.
        const threads = kind === 'isolated' ? Math.min(r.cores, 16) : 1;
        expect(r.wasm).toMatchObject({ simdKernels: true, simdKernelThreads: threads });
        expect(r.wasm.xnnpackThreads).toBe(1);
        expect(r.patches.some((p) => p.includes('shared memory'))).toBe(kind === 'isolated');
        expect(r.device).toContain(`our kernels on ${threads} thread`);
        // One convolution by our kernel (not XNNPACK). Split (64 output rows, in parts), it is the packing call (no rows)
        // and this thread's parts here, its first and any it took, and at least one part on each worker.
        if (threads > 1) {
          expect(r.ran).toBeGreaterThanOrEqual(2);
          expect(r.ran).toBeLessThanOrEqual(1 + partCount(threads, 64, 8) - (threads - 1));
        } else {
          expect(r.ran).toBe(1);
        }
        expect(r.shares).toBe(threads - 1);
        expect(r.size).toBe(2 * 32 * 16 * 32);
        expect(r.relDiff).toBeLessThan(1e-5);
      });
    }
  }
});
