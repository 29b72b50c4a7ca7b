/**
 * The backend's host outside Node (the `default` condition of `#platform`):
 * browsers and their workers. No helper thread, one core for our kernels,
 * WebGPU through `navigator.gpu` rather than Dawn; see {@link BackendPlatform}.
 */
import type { BackendPlatform } from './types.js';

function nodeOnly(what: string): Promise<never> {
  return Promise.reject(Object.assign(new Error(`Cannot find module '${what}': it exists only in Node`), { code: 'ERR_MODULE_NOT_FOUND' }));
}

/** The backend's services in browsers. */
export const platform: BackendPlatform = {
  name: 'browser',
  workerThreads: () => Promise.resolve(null),
  cpuCount: () => Promise.resolve(1),
  // Browsers that have relaxed SIMD have it on.
  allowRelaxedSimd: (bytes) => Promise.resolve(WebAssembly.validate(bytes)),
  importDawn: () => nodeOnly('webgpu'),
  probeDawnAdapter: () => nodeOnly('webgpu'),
};
