/**
 * The backend's stand-ins for Node-only modules outside Node (the `default`
 * condition of `#platform`): each rejects, and the callers already fall back
 * (one thread, one core) or report the backend as unavailable.
 */
import type * as node from './node.js';

function nodeOnly(what: string): Promise<never> {
  return Promise.reject(Object.assign(new Error(`Cannot find module '${what}': it exists only in Node`), { code: 'ERR_MODULE_NOT_FOUND' }));
}

/** Rejects: worker threads are Node's. */
export const loadWorkerThreads: typeof node.loadWorkerThreads = () => nodeOnly('node:worker_threads');

/** Rejects: `os` is Node's. */
export const loadOs: typeof node.loadOs = () => nodeOnly('node:os');

/** Rejects: `v8` is Node's (browsers that have relaxed SIMD have it on). */
export const loadV8: typeof node.loadV8 = () => nodeOnly('node:v8');

/** Rejects: browsers give WebGPU through `navigator.gpu`, not through Dawn. */
export const loadDawn: typeof node.loadDawn = () => nodeOnly('webgpu');
