/**
 * What the backend needs from its host that differs between Node and
 * browsers, as one object (the zoo's `ZooPlatform` has the same shape of
 * seam). `#platform` (package.json `imports`) resolves to `./node.ts` under
 * the `node` condition and to `./browser.ts` everywhere else, so browser
 * bundles never see `worker_threads`, `os`, `v8`, `child_process` or Dawn.
 * Only types are imported from here.
 */
import type { AdapterInfoLike } from '../webgpu/adapter.js';

/** What a quiet probe of Dawn found (see {@link BackendPlatform.probeDawnAdapter}). */
export type DawnProbe =
  | { kind: 'adapter'; info: AdapterInfoLike; isFallbackAdapter: boolean }
  | { kind: 'none'; detail: string }
  | { kind: 'not-installed' };

/** The host services of the backend. */
export interface BackendPlatform {
  /** `'node'` or `'browser'` (any non-Node host, workers included). */
  readonly name: 'node' | 'browser';
  /** Node's `worker_threads` (for the SIMD helper thread), or null where there is none. */
  workerThreads(): Promise<typeof import('node:worker_threads') | null>;
  /** Cores this process may use (Node); 1 where our kernels run on the calling thread only. */
  cpuCount(): Promise<number>;
  /**
   * Lets this engine compile relaxed-SIMD modules: Node 20's V8 only after
   * `--experimental-wasm-relaxed-simd`, which the Node host sets at run time.
   * Resolves to whether `bytes` then validate.
   */
  allowRelaxedSimd(bytes: Uint8Array<ArrayBuffer>): Promise<boolean>;
  /** The optional `webgpu` package (Dawn: WebGPU for Node); rejects outside Node. */
  importDawn(): Promise<Record<string, unknown>>;
  /**
   * Asks Dawn for its high-performance adapter in a child process, whose
   * output (the Vulkan loader's and Dawn's warnings about every driver it
   * tries) is dropped, so that `selectBackend('auto')` can pass over WebGPU
   * without a word on the console. Node only; browsers never call it.
   */
  probeDawnAdapter(): Promise<DawnProbe>;
}
