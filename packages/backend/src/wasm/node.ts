// Everything of the wasm kernels that needs Node's built-in modules, in one file,
// each behind a dynamic import and an `isNode` check, so that a browser build can
// replace this file (or a bundler drop it) without touching the kernels.

/** True under Node (worker_threads, blocking waits on the main thread, V8 flags). */
export const isNode = typeof process !== 'undefined' && process.versions?.node != null;

/** Node's `worker_threads`, or null outside Node. */
export async function workerThreads(): Promise<typeof import('node:worker_threads') | null> {
  if (!isNode) return null;
  return (await import(/* @vite-ignore */ 'node:worker_threads' as string)) as typeof import('node:worker_threads');
}

/** Cores available to this process (Node), or 1 where that cannot be told. */
export async function cpuCount(): Promise<number> {
  if (!isNode) return 1;
  try {
    const os = (await import(/* @vite-ignore */ 'node:os' as string)) as typeof import('node:os');
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
    const v8 = (await import(/* @vite-ignore */ 'node:v8' as string)) as typeof import('node:v8');
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return WebAssembly.validate(bytes);
}
