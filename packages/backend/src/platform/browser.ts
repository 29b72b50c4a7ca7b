/**
 * The backend's host outside Node (the `default` condition of `#platform`):
 * browsers and their workers. No helper thread, one core for our kernels,
 * WebGPU through `navigator.gpu` rather than Dawn; see {@link BackendPlatform}.
 */
import type { BackendPlatform } from './types.js';

/** The backend's services in browsers. */
export const platform: BackendPlatform = {
  name: 'browser',
  workerThreads: () => Promise.resolve(null),
  simdHelperSource: null,
  cpuCount: () => Promise.resolve(1),
  // Browsers that have relaxed SIMD have it on.
  allowRelaxedSimd: (bytes) => Promise.resolve(WebAssembly.validate(bytes)),
  // WebGPU is navigator.gpu here: no Dawn, and none of its code in browser bundles.
  dawn: null,
};
