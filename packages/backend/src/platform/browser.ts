/**
 * The backend's host outside Node (the `default` condition of `#platform`):
 * browsers and their workers. Kernel workers only in cross-origin isolated pages,
 * WebGPU through `navigator.gpu` rather than Dawn; see {@link BackendPlatform}.
 */
import { startBrowserKernelWorker } from './browser-kernel-worker.js';
import type { BackendPlatform } from './types.js';

/** The backend's services in browsers. */
export const platform: BackendPlatform = {
  name: 'browser',
  startKernelWorker: startBrowserKernelWorker,
  cpuCount: () => Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1),
  // Browsers that have relaxed SIMD have it on.
  allowRelaxedSimd: (bytes) => Promise.resolve(WebAssembly.validate(bytes)),
  // WebGPU is navigator.gpu here: no Dawn, and none of its code in browser bundles.
  dawn: null,
};
