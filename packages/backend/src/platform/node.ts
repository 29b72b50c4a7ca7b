/**
 * The backend's Node-only modules, selected by the `node` condition of
 * `#platform` (package.json `imports`); browsers get `./browser.ts`, so no
 * bundler ever sees `worker_threads`, `os` or Dawn.
 */

/** Node's `worker_threads` (the SIMD helper thread). */
export const loadWorkerThreads = (): Promise<typeof import('node:worker_threads')> => import('node:worker_threads');

/** Node's `os` (core count). */
export const loadOs = (): Promise<typeof import('node:os')> => import('node:os');

/** Dawn, the optional `webgpu` npm package: WebGPU for Node. */
export const loadDawn = (): Promise<Record<string, unknown>> => import('webgpu' as string) as Promise<Record<string, unknown>>;
