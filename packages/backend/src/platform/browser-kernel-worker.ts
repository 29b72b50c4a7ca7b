/**
 * Browsers: a kernel worker as a Web Worker made from a Blob URL holding the
 * loop of wasm/kernel-worker-loop.ts; it gets its data in its first message.
 * Only a cross-origin isolated page (or worker) can share memory with it:
 * elsewhere there is none (null).
 */
import type { KernelWorker, KernelWorkerHost } from './types.js';

interface BrowserGlobals {
  Worker?: new (url: string, options?: { name?: string }) => {
    postMessage(data: unknown): void;
    terminate(): void;
    addEventListener(type: 'message' | 'error', f: (e: { message?: string }) => void): void;
  };
  crossOriginIsolated?: boolean;
}

/** Starts one kernel worker, or resolves to null where workers cannot share memory. */
export const startBrowserKernelWorker: KernelWorkerHost = (loop, data) => {
  const g = globalThis as BrowserGlobals;
  if (g.Worker == null || g.crossOriginIsolated !== true || typeof URL.createObjectURL !== 'function') return Promise.resolve(null);
  const source = `${loop}\nself.onmessage = (e) => { self.onmessage = null; kernelWorkerLoop(e.data, () => postMessage('ready')); };`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const w = new g.Worker(url, { name: '@resnet/backend kernel worker' });
  URL.revokeObjectURL(url);
  const exits: Array<(why: string) => void> = [];
  const ready = new Promise<void>((resolve, reject) => {
    w.addEventListener('message', () => resolve());
    w.addEventListener('error', (e) => {
      const why = `a kernel worker failed: ${e.message ?? 'a worker error'}`;
      reject(new Error(`@resnet/backend: ${why}`));
      for (const f of exits) f(why);
    });
  });
  w.postMessage(data);
  const worker: KernelWorker = { ready, onExit: (f) => void exits.push(f), terminate: () => w.terminate() };
  return Promise.resolve(worker);
};
