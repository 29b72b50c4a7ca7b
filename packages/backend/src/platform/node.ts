/**
 * The backend's Node host (the `node` condition of `#platform`): threads,
 * cores, V8 flags and Dawn; see {@link BackendPlatform}.
 */
import { dawn } from './node-dawn.js';
import { SIMD_HELPER_SOURCE } from './node-simd-helper.js';
import type { BackendPlatform } from './types.js';

/** The backend's services in Node. */
export const platform: BackendPlatform = {
  name: 'node',
  workerThreads: () => import('node:worker_threads'),
  simdHelperSource: SIMD_HELPER_SOURCE,
  async cpuCount() {
    try {
      const os = await import('node:os');
      return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    } catch {
      return 1;
    }
  },
  async allowRelaxedSimd(bytes) {
    if (WebAssembly.validate(bytes)) return true;
    try {
      (await import('node:v8')).setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch {
      return false;
    }
    return WebAssembly.validate(bytes);
  },
  dawn,
};
