// The page side of the compute workers: start one, call tasks, get promises.
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { ComputeRequest, ComputeResponse, InitArgs } from './lib/compute-protocol.js';

/** A started compute worker. */
export interface Compute {
  /** Runs a task in the worker; rejects with the worker's error message. */
  call<T>(task: string, args?: unknown): Promise<T>;
  /** The backend the worker runs on. */
  backend: string;
  /** Live tensors in the worker after its last task. */
  tensors(): number;
}

const absolute = (u: string) => new URL(u, document.baseURI).href;

/** Starts a compute worker on the given backend and waits until it is ready. */
export async function startCompute(backend: InitArgs['backend']): Promise<Compute> {
  const worker = new Worker(new URL('./workers/compute.worker.ts', import.meta.url), { type: 'module', name: `compute-${backend}` });
  let next = 1;
  let lastTensors = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.onmessage = (e: MessageEvent<ComputeResponse>) => {
    const w = waiting.get(e.data.id);
    if (!w) return;
    waiting.delete(e.data.id);
    lastTensors = e.data.tensors;
    // Exposed for the e2e leak check: every task disposes what it built.
    document.documentElement.dataset[`workerTensors${backend === 'wasm' ? 'Wasm' : 'Cpu'}`] = String(e.data.tensors);
    if (e.data.ok) w.resolve(e.data.result);
    else w.reject(new Error(e.data.error));
  };
  worker.onerror = (e) => {
    for (const w of waiting.values()) w.reject(new Error(`compute worker failed: ${e.message}`));
    waiting.clear();
  };
  const call = <T>(task: string, args?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, task, args } satisfies ComputeRequest);
    });
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
  return { call, backend: r.backend, tensors: () => lastTensors };
}

let figures: Promise<Compute> | null = null;
let family: Promise<Compute> | null = null;

/** The shared worker for the analysis figures (wasm). */
export function figuresWorker(): Promise<Compute> {
  figures ??= startCompute('wasm');
  return figures;
}

/** The worker that builds the ImageNet family (cpu: random init is JS-bound anyway, and no wasm heap fills up). */
export function familyWorker(): Promise<Compute> {
  family ??= startCompute('cpu');
  return family;
}
