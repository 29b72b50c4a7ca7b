import type { TensorInfo } from '@tensorflow/tfjs-core';
import { SIMD_MODULE_BASE64, SIMD_RELAXED_MODULE_BASE64, SIMD_SHARED_MODULE_BASE64, SIMD_SHARED_RELAXED_MODULE_BASE64 } from './simd-binary.js';
import type { WasmBackendLike } from './kernel-utils.js';
import { KERNEL_PARAMS, positional, type KernelArgs, type KernelCall, type KernelName } from './kernel-abi.js';
import { platform } from '#platform';

/**
 * The WebAssembly SIMD kernels of `csrc/`, one typed binding each: a call names
 * every parameter of the C function (see ./kernel-abi.ts), so a wrong, missing
 * or extra argument does not compile. Every pointer is a byte offset into the
 * wasm backend's memory (see {@link heapOffset}); the C sources document each
 * function.
 */
export type SimdKernels = { readonly [K in KernelName]: (args: KernelArgs<K>) => void } & {
  /** Runs one call (of any kernel): what a caller that chose the kernel at run time uses. */
  run(call: KernelCall): void;
  /** Whether this is the relaxed-SIMD build (fused multiply-add). */
  readonly fma: boolean;
};

/** Switches of the SIMD kernels, for comparisons and tests ({@link setSimdKernelOptions}). */
export interface SimdKernelOptions {
  /** Our SIMD kernels at all; off: the XNNPACK and JavaScript paths only. Default true. */
  enabled: boolean;
  /** The relaxed-SIMD build (fused multiply-add) where the engine accepts it; off: plain SIMD128. Default true. */
  fma: boolean;
  /**
   * Winograd for 3×3 stride-1 convolutions (forward, input and filter gradient):
   * 'auto' picks per layer among the direct kernel, F(2×2, 3×3) (2.25× fewer
   * multiplies) and F(4×4, 3×3) (4×) by a cost model; 2 or 4 forces that tile
   * on every such layer; 0 keeps the direct kernel. Default 'auto'.
   */
  winograd: 'auto' | 0 | 2 | 4;
  /**
   * Keep Winograd-transformed filters between calls (in tfjs' heap, at
   * most 256 MB): a filter is kept the second
   * time it is used, so inference, which uses the same weights again and again,
   * skips the transform, and training, whose weights change every step, does not
   * pay for it. Packed filters (1×1 and direct convolutions) are packed at every
   * call, never kept: a copy costs a few per cent of the call, and keeping it
   * would hold those weights twice. Default true.
   */
  filterCache: boolean;
  /**
   * 1×1 convolutions (unpadded, any stride) by the register-tiled matrix-product
   * kernel (csrc/gemm.c); off: the direct kernel. Default true.
   */
  gemm: boolean;
}

const options: SimdKernelOptions = { enabled: true, fma: true, winograd: 'auto', filterCache: true, gemm: true };

/**
 * Changes the {@link SimdKernelOptions} given (the others keep their values)
 * and returns the options now in force: to compare a path with its fallback in a
 * benchmark, or to rule one out when hunting a bug.
 *
 * @example
 * ```ts
 * setSimdKernelOptions({ winograd: 0 });    // direct convolutions only, e.g. to compare in a benchmark
 * setSimdKernelOptions({ winograd: 'auto' }); // back to the default
 * ```
 */
export function setSimdKernelOptions(change: Partial<SimdKernelOptions>): SimdKernelOptions {
  for (const [key, value] of Object.entries(change)) {
    if (!(key in options)) throw new Error(`setSimdKernelOptions: unknown option '${key}'; known: ${Object.keys(options).join(', ')}`);
    if (key === 'winograd' ? !['auto', 0, 2, 4].includes(value as number) : typeof value !== 'boolean') {
      throw new Error(`setSimdKernelOptions: ${key} must be ${key === 'winograd' ? "'auto', 0, 2 or 4" : 'true or false'}; got ${String(value)}`);
    }
  }
  Object.assign(options, change);
  return { ...options };
}

/**
 * The {@link SimdKernelOptions} in force.
 *
 * @example
 * ```ts
 * const { enabled, fma, winograd, filterCache, gemm } = simdKernelOptions();
 * ```
 */
export function simdKernelOptions(): Readonly<SimdKernelOptions> {
  return options;
}

/**
 * Turns the SIMD kernels off (or back on), so that the kernels take their
 * XNNPACK/JavaScript path: for tests of that path and benchmarks comparing both.
 * The same as `setSimdKernelOptions({ enabled: on })`.
 *
 * @example
 * ```ts
 * setSimdKernelsEnabled(false); // XNNPACK and JavaScript paths only: rules our kernels out when hunting a bug
 * setSimdKernelsEnabled(true);
 * ```
 */
export function setSimdKernelsEnabled(on: boolean): void {
  setSimdKernelOptions({ enabled: on });
}

/** Bytes of a base64 string (browsers and Node). */
export function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

/** The four builds: plain or relaxed SIMD, for a plain memory or a shared one (tfjs' threaded build; the memory patches/shared-heap.ts gives tfjs in Node). */
const BUILDS = {
  plain: SIMD_MODULE_BASE64, relaxed: SIMD_RELAXED_MODULE_BASE64, 'shared-plain': SIMD_SHARED_MODULE_BASE64, 'shared-relaxed': SIMD_SHARED_RELAXED_MODULE_BASE64,
};
type Build = keyof typeof BUILDS;
const compiled: Partial<Record<Build, WebAssembly.Module>> = {};
let relaxedAccepted: boolean | undefined;
const instances = new WeakMap<WebAssembly.Memory, Partial<Record<Build, SimdKernels | null>>>();

/** Whether this engine compiles the relaxed-SIMD build (checked once; {@link enableRelaxedSimd} may turn it on). */
export function relaxedSimdAccepted(): boolean {
  relaxedAccepted ??= WebAssembly.validate(decodeBase64(SIMD_RELAXED_MODULE_BASE64));
  return relaxedAccepted;
}

/**
 * Makes the relaxed-SIMD (FMA) build usable where the engine allows it (on
 * Node 20 by setting V8's `--experimental-wasm-relaxed-simd` at run time).
 * Resolves to whether it is. `selectBackend('wasm')` calls it.
 *
 * @example
 * ```ts
 * const fma = await enableRelaxedSimd(); // true on Node 22+ and Chrome 114+; on Node 20 after setting V8's flag
 * ```
 */
export async function enableRelaxedSimd(): Promise<boolean> {
  relaxedAccepted = await platform.allowRelaxedSimd(decodeBase64(SIMD_RELAXED_MODULE_BASE64));
  return relaxedAccepted;
}

/**
 * Gets the SIMD kernels ready ahead of their first use: relaxed SIMD where the
 * engine allows it ({@link enableRelaxedSimd}) and every build compiled
 * asynchronously, which a browser's main thread requires (Chrome refuses to
 * compile a module over 4 KB synchronously there, and the kernels would
 * otherwise fall back to XNNPACK). `selectBackend('wasm')` calls it; call it
 * yourself after `registerWasmTrainingKernels()` when you set the backend with
 * `tf.setBackend('wasm')` in a page.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * registerWasmTrainingKernels();
 * await prepareSimdKernels(); // in a page, before the first convolution
 * await tf.setBackend('wasm');
 * ```
 */
export async function prepareSimdKernels(): Promise<void> {
  await enableRelaxedSimd();
  await Promise.all((Object.keys(BUILDS) as Build[]).map(async (build) => {
    if (build.endsWith('relaxed') && !relaxedAccepted) return;
    compiled[build] ??= await WebAssembly.compile(decodeBase64(BUILDS[build]));
  }));
}

/** Where tfjs' Emscripten module keeps its memory: exported by the plain builds, imported (and kept as `wasmMemory`) by the threaded one. */
interface EmscriptenBackend {
  wasm?: { asm?: { memory?: unknown }; wasmMemory?: unknown };
}

/**
 * The wasm backend's `WebAssembly.Memory`: `asm.memory`, which the plain and
 * SIMD builds export, else `wasmMemory`, where the Emscripten glue of tfjs'
 * threaded-SIMD build (a cross-origin isolated page) keeps the shared memory
 * it creates and imports; that build exports none. Null when neither is there.
 */
export function backendMemory(backend: WasmBackendLike): WebAssembly.Memory | null {
  const wasm = (backend as EmscriptenBackend).wasm;
  const memory = wasm?.asm?.memory ?? wasm?.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

const calls: Record<string, number> = {};

/**
 * How many times each of our SIMD kernels has run on the calling thread since
 * the process (or page) started, by kernel name (`conv2d`, `winograd_conv2d`,
 * `conv2d_filter_grad`, …): to check that they, and not XNNPACK or
 * JavaScript, computed what you ran. Shares that kernel workers ran are
 * counted by `simdPoolShares()`.
 *
 * @example
 * ```ts
 * const before = simdKernelCalls().conv2d ?? 0;
 * tf.conv2d(tf.ones([1, 8, 8, 4]) as tf.Tensor4D, tf.ones([1, 1, 4, 8]) as tf.Tensor4D, 1, 'same').dispose();
 * console.log((simdKernelCalls().conv2d ?? 0) > before); // true when our kernel ran
 * ```
 */
export function simdKernelCalls(): Readonly<Record<string, number>> {
  return { ...calls };
}

/** The typed bindings of an instance's exports; every call counted in {@link simdKernelCalls}. */
function bind(exports: WebAssembly.Exports, fma: boolean): SimdKernels {
  const raw = exports as Record<string, (...args: number[]) => void>;
  const run = (call: KernelCall): void => {
    calls[call.kernel] = (calls[call.kernel] ?? 0) + 1;
    raw[call.kernel]!(...positional(call));
  };
  const each = Object.fromEntries((Object.keys(KERNEL_PARAMS) as KernelName[]).map((kernel) => [kernel, (args: never) => run({ kernel, args } as KernelCall)]));
  return { ...each, run, fma } as SimdKernels;
}

/**
 * The SIMD kernels bound to `backend`'s memory, or null where they cannot run
 * or are switched off: an engine without WebAssembly SIMD, or a browser main
 * thread that refuses synchronous compilation. Callers then take their XNNPACK
 * or JavaScript path. The relaxed-SIMD (FMA) build is used where the engine
 * accepts it and {@link SimdKernelOptions.fma} is on, else the plain SIMD128
 * one; tfjs' threaded wasm build (a cross-origin isolated page) shares its
 * memory ({@link backendMemory}), and gets the builds for a shared memory (run
 * on the calling thread).
 */
export function simdKernels(backend: WasmBackendLike): SimdKernels | null {
  if (!options.enabled) return null;
  const memory = backendMemory(backend);
  if (memory == null) return null;
  const fma = options.fma && relaxedSimdAccepted();
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const build: Build = `${shared ? 'shared-' : ''}${fma ? 'relaxed' : 'plain'}`;
  let bound = instances.get(memory);
  if (bound == null) instances.set(memory, (bound = {}));
  const cached = bound[build];
  if (cached !== undefined) return cached;
  let kernels: SimdKernels | null = null;
  try {
    const module = (compiled[build] ??= new WebAssembly.Module(decodeBase64(BUILDS[build])));
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    kernels = bind(exports, fma);
  } catch {
    kernels = null;
  }
  bound[build] = kernels;
  return kernels;
}

/** Byte offset of a wasm tensor's data in the backend's memory. */
export function heapOffset(backend: WasmBackendLike, info: TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}
