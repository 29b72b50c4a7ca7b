// The page side of the compute workers: start one, call tasks, get promises.
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { ComputeRequest, ComputeResponse, InitArgs } from './lib/compute-protocol.js';
import { PendingCalls } from './lib/pending-calls.js';

/** A started compute worker. */
export interface Compute {
  /** Runs a task in the worker; rejects with the worker's error message, or when it does not answer in time. */
  call<T>(task: string, args?: unknown): Promise<T>;
  /** False once the worker failed or was ended after a call timed out; the getters below then start a new one. */
  alive(): boolean;
  /** The backend the worker runs on. */
  backend: string;
  /** Live tensors in the worker after its last task. */
  tensors(): number;
}

const absolute = (u: string) => new URL(u, document.baseURI).href;

/** Starts a compute worker on the given backend and waits until it is ready. */
export async function startCompute(backend: InitArgs['backend']): Promise<Compute> {
  const worker = new Worker(new URL('./workers/compute.worker.ts', import.meta.url), { type: 'module', name: `compute-${backend}` });
  let lastTensors = 0;
  let dead: string | null = null;
  const end = (why: string): void => {
    dead = why;
    worker.terminate();
    waiting.failAll(new Error(`compute worker (${backend}) ended: ${why}`));
  };
  // A task that never answers (a hung or crashed worker) fails after the timeout, and the worker is replaced.
  const waiting = new PendingCalls(undefined, (task) => end(`task '${task}' did not answer in time`));
  worker.onmessage = (e: MessageEvent<ComputeResponse>) => {
    if (!waiting.settle(e.data.id, e.data.ok ? { ok: true, result: e.data.result } : { ok: false, error: e.data.error ?? 'unknown error' })) return;
    lastTensors = e.data.tensors;
    // Exposed for the e2e leak check: every task disposes what it built.
    document.documentElement.dataset[`workerTensors${backend === 'wasm' ? 'Wasm' : 'Cpu'}`] = String(e.data.tensors);
  };
  worker.onerror = (e) => end(`it failed: ${e.message}`);
  worker.onmessageerror = () => end('a reply could not be read');
  const call = <T>(task: string, args?: unknown): Promise<T> => {
    if (dead) return Promise.reject(new Error(`compute worker (${backend}) ended: ${dead}`));
    const { id, result } = waiting.add<T>(task);
    worker.postMessage({ id, task, args } satisfies ComputeRequest);
    return result;
  };
  const init: InitArgs = {
    backend,
    wasmPaths: {
      'tfjs-backend-wasm.wasm': absolute(wasmUrl),
      'tfjs-backend-wasm-simd.wasm': absolute(wasmSimdUrl),
      'tfjs-backend-wasm-threaded-simd.wasm': absolute(wasmThreadedUrl),
    },
  };
  const r = await call<{ backend: string }>('init', init);
  const status = document.querySelector<HTMLElement>('#worker-status');
  if (status) {
    status.dataset[backend] = r.backend;
    const parts = [];
    if (status.dataset.wasm) parts.push(`the analysis figures and the lesion study (sections 1, 4 and 5) on tfjs ${status.dataset.wasm}, with @resnet/backend's training kernels`);
    if (status.dataset.cpu) parts.push(`the ResNet family (section 3) on tfjs ${status.dataset.cpu}`);
    status.textContent = `Web Workers compute ${parts.join('; ')}. Section 6's digit classifier runs on the backend above.`;
  }
  return { call, alive: () => dead === null, backend: r.backend, tensors: () => lastTensors };
}

const workers: Partial<Record<InitArgs['backend'], Promise<Compute>>> = {};

/**
 * The worker for `backend`: the running one, or a new one when there is none,
 * it ended, or it failed to start. Each request chains on the previous one, so
 * callers that find the worker ended together start one replacement, not several.
 */
function shared(backend: InitArgs['backend']): Promise<Compute> {
  const start = () => startCompute(backend);
  const previous = workers[backend];
  const next = previous ? previous.then((c) => (c.alive() ? c : start()), start) : start();
  workers[backend] = next;
  return next;
}

/** The shared worker for the analysis figures (wasm). */
export function figuresWorker(): Promise<Compute> {
  return shared('wasm');
}

/** The worker that builds the ImageNet family (cpu: random init is JS-bound anyway, and no wasm heap fills up). */
export function familyWorker(): Promise<Compute> {
  return shared('cpu');
}
