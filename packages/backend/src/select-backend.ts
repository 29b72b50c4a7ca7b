import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, describeError } from './errors.js';
import { tryCpu, tryTensorflow, tryWasm, tryWebgpu, type Picked } from './candidates.js';

/** Backends {@link selectBackend} understands, fastest first after `'auto'`. */
export const BACKEND_NAMES = ['auto', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;

/** A backend request: a concrete backend, or `'auto'` for the fastest that works here. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What {@link selectBackend} picked, on what device, and why. */
export interface BackendInfo {
  /** The tfjs backend now active (`tf.getBackend()`): 'tensorflow', 'webgpu', 'wasm' or 'cpu'. */
  name: string;
  /** What the caller asked for. */
  requested: string;
  /** The device the backend computes on, in words (e.g. 'CPU (wasm SIMD, 1 thread)'). */
  device: string;
  /** Why this backend was picked. */
  reason: string;
  /** Backends tried before this one and why each was not used (empty when the first choice worked). */
  fallbacks: string[];
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
   * Threads our wasm SIMD convolution kernels use: 2 starts a helper thread
   * (Node only) that takes half of every large convolution; 1 keeps them on
   * the calling thread (what you want when you run one process or worker per
   * core yourself). Default: 2 when the machine has at least 2 cores.
   */
  wasmThreads?: number;
}

const ORDER: Array<Exclude<BackendName, 'auto'>> = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

async function attempt(name: Exclude<BackendName, 'auto'>, warn: (m: string) => void, wasmThreads?: number): Promise<Picked> {
  switch (name) {
    case 'tensorflow-gpu': return tryTensorflow(true, warn);
    case 'tensorflow': return tryTensorflow(false, warn);
    case 'webgpu': return tryWebgpu();
    case 'wasm': return tryWasm(wasmThreads);
    case 'cpu': return tryCpu();
  }
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
 *   package (Dawn) plus a usable Vulkan/Metal/D3D12 adapter.
 * - `'wasm'` (XNNPACK, SIMD) also installs our SIMD convolution and training kernels
 *   ({@link registerWasmTrainingKernels}), so `model.fit` works on it.
 * - `'cpu'` is the pure-JS reference backend: correct everywhere, slow.
 * - `'auto'` tries them in that order and takes the first that works.
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
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown backend '${name}'; known: ${BACKEND_NAMES.join(', ')}`);
  }
  if (name !== 'auto') {
    const picked = await attempt(name as Exclude<BackendName, 'auto'>, warn, opts.wasmThreads);
    return { ...picked, requested: name, fallbacks: [] };
  }
  const fallbacks: string[] = [];
  for (const candidate of ORDER) {
    try {
      const picked = await attempt(candidate, warn, opts.wasmThreads);
      const why = fallbacks.length === 0 ? '' : ` (faster ones unavailable: ${fallbacks.map((f) => f.split(':')[0]).join(', ')})`;
      return { ...picked, requested: 'auto', reason: `${picked.reason}${why}`, fallbacks };
    } catch (err) {
      fallbacks.push(`${candidate}: ${describeError(err)}`);
    }
  }
  throw new BackendUnavailableError('auto', `no TensorFlow.js backend could start:\n  ${fallbacks.join('\n  ')}`);
}
