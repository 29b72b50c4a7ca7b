// Everything of the wasm kernels that needs Node's built-in modules, in one file.
// The modules come from `#platform`, whose browser side rejects, so browser
// bundles never see them and these fall back (no helper, one core, no flag).
import { loadOs, loadV8, loadWorkerThreads } from '#platform';
import { isNode } from '../platform.js';

/** Node's `worker_threads`, or null outside Node. */
export async function workerThreads(): Promise<typeof import('node:worker_threads') | null> {
  return isNode ? loadWorkerThreads() : null;
}

/** Cores available to this process (Node), or 1 where that cannot be told. */
export async function cpuCount(): Promise<number> {
  if (!isNode) return 1;
  try {
    const os = await loadOs();
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  } catch {
    return 1;
  }
}

/**
 * Lets this engine compile relaxed-SIMD modules when it can: Node 22+ and
 * Chrome 114+ accept them by default; Node 20's V8 (11.3) only after
 * `--experimental-wasm-relaxed-simd`, which this sets at run time (then the same
 * bytes validate and compute correctly). Resolves to whether `bytes` now validate.
 */
export async function allowRelaxedSimd(bytes: Uint8Array<ArrayBuffer>): Promise<boolean> {
  if (WebAssembly.validate(bytes)) return true;
  if (!isNode) return false;
  try {
    (await loadV8()).setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return WebAssembly.validate(bytes);
}
