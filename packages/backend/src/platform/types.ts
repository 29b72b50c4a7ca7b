/**
 * What the backend needs from its host that differs between Node and
 * browsers, as one object (the zoo's `ZooPlatform` has the same shape of
 * seam). `#platform` (package.json `imports`) resolves to `./node.ts` under
 * the `node` condition and to `./browser.ts` everywhere else, so browser
 * bundles never see `worker_threads`, `os`, `v8`, `child_process` or Dawn.
 * Only types are imported from here.
 */
import type { AdapterInfoLike, GpuLike } from '../webgpu/adapter.js';
import type { KernelWorkerData } from '../wasm/kernel-worker-loop.js';

/** What a quiet probe of Dawn found (see {@link BackendPlatform.probeDawnAdapter}). */
export type DawnProbe =
  | { kind: 'adapter'; info: AdapterInfoLike; isFallbackAdapter: boolean }
  | { kind: 'none'; detail: string }
  | { kind: 'not-installed' };

/** The host services of the backend. */
export interface BackendPlatform {
  /** `'node'` or `'browser'` (any non-Node host, workers included). */
  readonly name: 'node' | 'browser';
  /** Starts a thread for our kernels (see wasm/simd-threads.ts); null where this host cannot share memory with one. */
  readonly startKernelWorker: KernelWorkerHost;
  /** Logical cores (Node: `os.availableParallelism()`; browsers: `navigator.hardwareConcurrency`), at least 1. */
  cpuCount(): number;
  /**
   * Lets this engine compile relaxed-SIMD modules: Node 20's V8 only after
   * `--experimental-wasm-relaxed-simd`, which the Node host sets at run time.
   * Resolves to whether `bytes` then validate.
   */
  allowRelaxedSimd(bytes: Uint8Array<ArrayBuffer>): Promise<boolean>;
  /** WebGPU through Dawn (the optional `webgpu` package) in Node; null elsewhere (browsers have `navigator.gpu`). */
  readonly dawn: DawnHost | null;
}

/** Dawn (WebGPU for Node): the Node host's only, so its code stays out of browser bundles. */
export interface DawnHost {
  /** True once Dawn is loaded in this process (a probe of it then costs nothing more and prints nothing new). */
  loaded(): boolean;
  /**
   * Imports `webgpu` once and installs its `GPU` as `navigator.gpu` (and its
   * `GPUBufferUsage`, … globals), where tfjs-backend-webgpu looks; rejects with
   * the import's own error when the package is not installed.
   */
  load(): Promise<GpuLike>;
  /**
   * Asks Dawn for its high-performance adapter in a child process, whose
   * output (the Vulkan loader's and Dawn's warnings about every driver it
   * tries) is dropped, so that `selectBackend('auto')` can pass over WebGPU
   * without a word on the console.
   */
  probe(): Promise<DawnProbe>;
  /** How to install it, for the error when it is missing. */
  readonly installHint: string;
  /** What to tell a user whose Dawn found no adapter. */
  readonly noAdapterHint: string;
}

/** One thread running our kernels on a shared memory. */
export interface KernelWorker {
  /** Resolves once its kernels are loaded; rejects with its own error when it fails to start. */
  readonly ready: Promise<void>;
  /** Calls `f` with the reason when the worker fails or exits after it started. */
  onExit(f: (why: string) => void): void;
  /** Stops it at once. */
  terminate(): void;
}

/** Starts a kernel worker running `loop` (wasm/kernel-worker-loop.ts) with `data`; null where none can share memory here. */
export type KernelWorkerHost = (loop: string, data: KernelWorkerData) => Promise<KernelWorker | null>;
