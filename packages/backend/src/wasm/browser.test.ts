/**
 * Our SIMD kernels in Debian's Chromium (playwright-core), on tfjs' plain SIMD
 * build (a page that is not cross-origin isolated) and on its threaded-SIMD
 * build (COOP + COEP: a shared memory that the build imports and does not
 * export), on the main thread and in a Web Worker: `BackendInfo.wasm` must say
 * our kernels run, the call counter must show that they ran, and the result
 * must match the cpu backend's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPages, type TestPages } from '../browser-page.js';
import type { WasmEngineInfo } from './engine-info.js';

// One bundle, run as the page's script and as a module worker: select wasm, convolve, count our kernel calls, compare with cpu.
const PAGE = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend, simdKernelCalls } from './index.js';

const convCalls = () => { const c = simdKernelCalls(); return (c.conv2d ?? 0) + (c.winograd_conv2d ?? 0); };
const values = (n, k) => Float32Array.from({ length: n }, (_, i) => Math.sin(k * 1.7 + i * 0.731));

async function check() {
  setWasmPaths(new URL('/', self.location.href).href);
  const info = await selectBackend('wasm');
  const xs = [values(2 * 12 * 12 * 8, 1), [2, 12, 12, 8]];
  const fs = [values(3 * 3 * 8 * 16, 2), [3, 3, 8, 16]];
  const conv = () => tf.tidy(() => tf.conv2d(tf.tensor4d(...xs), tf.tensor4d(...fs), [1, 2], 'same').dataSync().slice());
  const before = convCalls();
  const got = conv();
  const ran = convCalls() - before;
  await tf.setBackend('cpu');
  const want = conv();
  let diff = 0, scale = 0;
  for (let i = 0; i < want.length; i++) { diff = Math.max(diff, Math.abs(got[i] - want[i])); scale = Math.max(scale, Math.abs(want[i])); }
  return { crossOriginIsolated: self.crossOriginIsolated, wasm: info.wasm, device: info.device, ran, relDiff: diff / scale, size: got.length };
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

interface Result { crossOriginIsolated: boolean; wasm: WasmEngineInfo; device: string; ran: number; relDiff: number; size: number }

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
      it(`${kind === 'isolated' ? 'cross-origin isolated (tfjs threaded-SIMD build, shared memory)' : 'not isolated (tfjs SIMD build)'}, ${where === 'main' ? 'main thread' : 'Web Worker'}`, async () => {
        const r = await run(kind, where);
        expect(r.crossOriginIsolated).toBe(kind === 'isolated');
        expect(r.wasm.sharedMemory).toBe(kind === 'isolated');
        expect(r.wasm).toMatchObject({ simdKernels: true, simdKernelThreads: 1 });
        if (kind === 'plain') expect(r.wasm.xnnpackThreads).toBe(1);
        else expect(r.wasm.xnnpackThreads).toBeGreaterThanOrEqual(1);
        expect(r.device).toContain('our kernels on 1 thread');
        expect(r.ran).toBe(1); // one convolution, by our kernel (not XNNPACK)
        expect(r.size).toBe(2 * 12 * 6 * 16);
        expect(r.relDiff).toBeLessThan(1e-5);
      });
    }
  }
});
