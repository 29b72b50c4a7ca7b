import { BackendUnavailableError, describeError } from './errors.js';
import { platform } from '#platform';
import { smokeTest, tryCpu, tryTensorflow, tryWasm, tryWebgl, tryWebgpu, type Picked } from './candidates.js';
import { appliedPatches } from './patches/applied.js';
import type { WasmEngineInfo } from './wasm/engine-info.js';
import { MAX_WASM_THREADS } from './wasm/simd-threads.js';
import type { WebgpuModule } from './webgpu/backend.js';

/** Backends {@link selectBackend} understands, fastest first after `'auto'`. */
export const BACKEND_NAMES = ['auto', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** A backend request: a concrete backend, or `'auto'` for the fastest that works here. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What {@link selectBackend} picked, on what device, and why. */
export interface BackendInfo {
  /** The tfjs backend now active (`tf.getBackend()`): 'tensorflow', 'webgpu', 'webgl', 'wasm' or 'cpu'. */
  name: string;
  /** What the caller asked for. */
  requested: string;
  /** The device the backend computes on, in words (e.g. 'CPU (wasm SIMD, 1 thread)', 'GPU (WebGPU: nvidia ampere …)'). */
  device: string;
  /**
   * True when a GPU backend (webgpu, webgl) runs on a software renderer
   * (SwiftShader, llvmpipe, WARP): it computes on the CPU. Only with `allowSoftware`.
   */
  software: boolean;
  /** Why this backend was picked. */
  reason: string;
  /** Backends tried before this one and why each was not used (empty when the first choice worked). */
  fallbacks: BackendFallback[];
  /**
   * On wasm: whether our SIMD kernels or XNNPACK compute, on how many threads
   * each, with FMA or not, on a shared memory or not. Absent on other backends.
   */
  wasm?: WasmEngineInfo;
  /**
   * What @resnet/backend has changed outside itself in this process so far
   * (tfjs' gradient registry, tfjs-layers' BatchNormalization, tfjs-backend-wasm's
   * process handlers), each naming what it reaches. Empty until a backend that
   * needs a patch is selected (wasm).
   */
  patches: string[];
}

/** A backend `'auto'` tried and did not use, and why. */
export interface BackendFallback {
  /** The backend tried. */
  backend: ConcreteBackend;
  /** Why it was not used: the error it failed with, in words. */
  reason: string;
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * Where to print the loud warning when a GPU backend was asked for (or tried by
   * 'auto') and the computation would fall back to the CPU. Default: `console.warn`
   * with a `WARNING: ` prefix.
   */
  warn?: (message: string) => void;
  /**
   * Threads our wasm SIMD kernels use: n starts n − 1 kernel workers that
   * share every large convolution, its gradients and BatchNorm with the
   * calling thread, in place on tfjs' memory (Node, and cross-origin isolated
   * pages: elsewhere memory cannot be shared and 1 thread runs); 1 keeps them
   * on the calling thread (what you want when you run one process or worker
   * per core yourself). An integer from 1 to {@link MAX_WASM_THREADS}; anything
   * else is refused with that range. Default: the machine's logical cores.
   */
  wasmThreads?: number;
  /**
   * Accept a WebGPU adapter or WebGL renderer that is a software one
   * (SwiftShader, llvmpipe, WARP: it computes on the CPU, slower than wasm).
   * Without it such a backend is refused with a `BackendUnavailableError`, and
   * `'auto'` moves on to the next candidate. Default false.
   */
  allowSoftware?: boolean;
  /**
   * The backends `'auto'` tries, in order. Default: Node
   * `tensorflow-gpu, tensorflow, webgpu, wasm, cpu`; browsers `webgpu, webgl, wasm, cpu`.
   */
  candidates?: ReadonlyArray<ConcreteBackend>;
  /**
   * The `@tensorflow/tfjs-backend-webgpu` module, for bundled apps (a bundler
   * does not follow our optional import of it):
   * `{ webgpuModule: await import('@tensorflow/tfjs-backend-webgpu') }`.
   * Unbundled Node finds it by itself; a browser app that imported it without
   * passing it gets tfjs' own webgpu factory.
   */
  webgpuModule?: WebgpuModule;
}


/** Refuses a `wasmThreads` that is not an integer in [1, {@link MAX_WASM_THREADS}], naming the range. */
function checkWasmThreads(threads: unknown): void {
  if (threads === undefined) return;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new RangeError(`selectBackend: wasmThreads must be an integer from 1 to ${MAX_WASM_THREADS} (the calling thread and its kernel workers); got ${typeof threads === 'string' ? `'${threads}'` : String(threads)}`);
  }
}

/** A backend name other than 'auto'. */
export type ConcreteBackend = Exclude<BackendName, 'auto'>;

const NODE_ORDER: ConcreteBackend[] = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'];
const BROWSER_ORDER: ConcreteBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

function start(name: ConcreteBackend, warn: (m: string) => void, opts: SelectBackendOptions, auto: boolean): Promise<Picked> {
  const allowSoftware = opts.allowSoftware ?? false;
  switch (name) {
    case 'tensorflow-gpu': return tryTensorflow(true, warn);
    case 'tensorflow': return tryTensorflow(false, warn);
    // Under 'auto', WebGPU is probed without a word on the console (Dawn's driver warnings) unless it is picked.
    case 'webgpu': return tryWebgpu(allowSoftware, opts.webgpuModule, auto);
    case 'webgl': return tryWebgl(allowSoftware);
    case 'wasm': return tryWasm(opts.wasmThreads);
    case 'cpu': return tryCpu();
  }
}

async function attempt(name: ConcreteBackend, warn: (m: string) => void, opts: SelectBackendOptions, auto: boolean): Promise<Picked> {
  const picked = await start(name, warn, opts, auto);
  await smokeTest(name);
  return picked;
}

/**
 * Loads and activates a TensorFlow.js backend, importing optional backends only
 * when asked for, and reports what it picked.
 *
 * - `'tensorflow-gpu'` needs `@tensorflow/tfjs-node-gpu` (CUDA 11.2, cuDNN 8.1).
 *   When TensorFlow finds no GPU, tfjs-node-gpu silently runs on the CPU
 *   (tensorflow/tfjs#8269): this throws instead, and says so loudly.
 * - `'tensorflow'` needs `@tensorflow/tfjs-node` (libtensorflow on the CPU).
 * - `'webgpu'` needs `@tensorflow/tfjs-backend-webgpu` and, in Node, the `webgpu`
 *   package (Dawn) plus a usable Vulkan/Metal/D3D12 adapter. A software adapter
 *   (SwiftShader: `isFallbackAdapter`, or named so in its adapter info) is refused
 *   unless `allowSoftware`. Installs our fixes of webgpu training kernels
 *   ({@link registerWebgpuTrainingKernels}).
 * - `'webgl'` (browsers) is tfjs' WebGL backend; a software renderer likewise
 *   needs `allowSoftware`.
 * - `'wasm'` (XNNPACK, SIMD) also installs our SIMD convolution and training kernels
 *   ({@link registerWasmTrainingKernels}), so `model.fit` works on it.
 * - `'cpu'` is the pure-JS reference backend: correct everywhere, slow.
 * - `'auto'` tries `candidates` in order (in Node tensorflow-gpu, tensorflow,
 *   webgpu, wasm, cpu; in browsers webgpu, webgl, wasm, cpu) and takes the
 *   first that works: a real GPU first, then wasm; a software GPU only when allowed.
 *
 * Every backend must compute 1 + 1 = 2 before it is reported as selected.
 *
 * @throws BackendUnavailableError when the requested backend cannot run here,
 *   naming the missing package and how to install it.
 * @example
 * ```ts
 * const info = await selectBackend('auto');
 * console.log(`${info.name} on ${info.device}: ${info.reason}`);
 * ```
 */
export async function selectBackend(name: BackendName | string, opts: SelectBackendOptions = {}): Promise<BackendInfo> {
  const warn = opts.warn ?? ((m: string) => console.warn(`WARNING: ${m}`));
  checkWasmThreads(opts.wasmThreads);
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown backend '${name}'; known: ${BACKEND_NAMES.join(', ')}`);
  }
  if (name !== 'auto') {
    const picked = await attempt(name as ConcreteBackend, warn, opts, false);
    return { ...picked, requested: name, fallbacks: [], patches: appliedPatches() };
  }
  const candidates = opts.candidates ?? (platform.name === 'node' ? NODE_ORDER : BROWSER_ORDER);
  const unknown = candidates.filter((c) => (c as string) === 'auto' || !(BACKEND_NAMES as readonly string[]).includes(c));
  if (unknown.length > 0) throw new Error(`unknown candidate backend(s) ${unknown.join(', ')}; known: ${BACKEND_NAMES.slice(1).join(', ')}`);
  const fallbacks: BackendFallback[] = [];
  for (const candidate of candidates) {
    try {
      const picked = await attempt(candidate, warn, opts, true);
      const why = fallbacks.length === 0 ? '' : ` (faster ones unavailable: ${fallbacks.map((f) => f.backend).join(', ')})`;
      return { ...picked, requested: 'auto', reason: `${picked.reason}${why}`, fallbacks, patches: appliedPatches() };
    } catch (err) {
      fallbacks.push({ backend: candidate, reason: describeError(err) });
    }
  }
  throw new BackendUnavailableError('auto', `no TensorFlow.js backend could start:\n  ${fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('\n  ')}`);
}
