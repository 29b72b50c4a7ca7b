/**
 * The backend's Node-only modules, selected by the `node` condition of
 * `#platform` (package.json `imports`); browsers get `./browser.ts`, so no
 * bundler ever sees `worker_threads`, `os`, `v8` or Dawn.
 */

/** Node's `worker_threads` (the SIMD helper thread). */
export const loadWorkerThreads = (): Promise<typeof import('node:worker_threads')> => import('node:worker_threads');

/** Node's `os` (core count). */
export const loadOs = (): Promise<typeof import('node:os')> => import('node:os');

/** Node's `v8` (the relaxed-SIMD flag on Node 20). */
export const loadV8 = (): Promise<typeof import('node:v8')> => import('node:v8');

/** Dawn, the optional `webgpu` npm package: WebGPU for Node. */
export const loadDawn = (): Promise<Record<string, unknown>> => import('webgpu' as string) as Promise<Record<string, unknown>>;
