/**
 * The backend's Node host (the `node` condition of `#platform`): threads,
 * cores, V8 flags and Dawn; see {@link BackendPlatform}.
 */
import { dawn } from './node-dawn.js';
import { availableParallelism } from 'node:os';
import { startNodeKernelWorker } from './node-kernel-worker.js';
import type { BackendPlatform } from './types.js';

/** The backend's services in Node. */
export const platform: BackendPlatform = {
  name: 'node',
  startKernelWorker: startNodeKernelWorker,
  cpuCount: () => Math.max(1, availableParallelism()),
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
