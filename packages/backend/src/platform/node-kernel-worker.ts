/**
 * Node only: a kernel worker as a `worker_threads` Worker running the loop of
 * wasm/kernel-worker-loop.ts from an eval'd CommonJS script. Kept behind
 * `#platform` so that browser bundles do not carry `worker_threads`.
 */
import type { KernelWorker, KernelWorkerHost } from './types.js';

/** Starts one kernel worker; it does not keep the process alive. */
export const startNodeKernelWorker: KernelWorkerHost = async (loop, data) => {
  const { Worker } = await import('node:worker_threads');
  const source = `const { workerData, parentPort } = require('node:worker_threads');\n${loop}\nkernelWorkerLoop(workerData, () => parentPort.postMessage('ready'));`;
  const w = new Worker(source, { eval: true, workerData: data });
  const exits: Array<(why: string) => void> = [];
  const ready = new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', (err) => {
      const why = `a kernel worker failed: ${err instanceof Error ? err.message : String(err)}`;
      reject(new Error(`@resnet/backend: ${why}`));
      for (const f of exits) f(why);
    });
    w.once('exit', (code) => {
      reject(new Error(`@resnet/backend: a kernel worker exited with code ${code} while starting`));
      for (const f of exits) f(`a kernel worker exited with code ${code}`);
    });
  });
  // Unreferenced once it is ready (before, the process would end while it starts, with the start unsettled).
  void ready.then(() => w.unref(), () => undefined);
  const worker: KernelWorker = {
    ready,
    onExit: (f) => void exits.push(f),
    terminate: () => void w.terminate().catch(() => undefined),
  };
  return worker;
};
