import type { TensorInfo } from '@tensorflow/tfjs-core';
import { SIMD_MODULE_BASE64 } from './simd-binary.js';
import type { WasmBackendLike } from './kernel-utils.js';

/**
 * The WebAssembly SIMD kernels of `csrc/training_kernels.c`. Every pointer is a
 * byte offset into the wasm backend's memory (see {@link heapOffset}); the C
 * source documents each function.
 */
export interface SimdKernels {
  conv2d_filter_grad(x: number, dy: number, dw: number, n: number, h: number, w: number, ci: number,
    ho: number, wo: number, co: number, fh: number, fw: number, sh: number, sw: number, pt: number, pl: number): void;
  channel_sums(a: number, b: number, shift: number, m: number, c: number, out: number): void;
  channel_affine(x: number, scale: number, offset: number, m: number, c: number, y: number): void;
  batch_norm_input_grad(x: number, dy: number, coef: number, m: number, c: number, dx: number): void;
  conv2d(x: number, f: number, bias: number, out: number, zeros: number, packed: number, row0: number, row1: number, h: number, w: number, ci: number,
    ho: number, wo: number, co: number, fh: number, fw: number, sh: number, sw: number, dh: number, dw: number,
    pt: number, pl: number, relu: number): void;
}

interface EmscriptenBackend {
  wasm?: { asm?: { memory?: unknown } };
}

let compiled: WebAssembly.Module | undefined;
let enabled = true;

/**
 * Turns the SIMD kernels off (or back on), so that the kernels take their
 * XNNPACK/JavaScript path: for tests of that path and benchmarks comparing both.
 */
export function setSimdKernelsEnabled(on: boolean): void {
  enabled = on;
}
const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

/** Bytes of a base64 string (browsers and Node). */
export function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

/**
 * The SIMD kernels bound to `backend`'s memory, or null where they cannot run:
 * an engine without WebAssembly SIMD, a threaded wasm backend (its memory is
 * shared), or a browser main thread that refuses synchronous compilation.
 * Callers then take their XNNPACK or JavaScript path.
 */
export function simdKernels(backend: WasmBackendLike): SimdKernels | null {
  if (!enabled) return null;
  const memory = (backend as EmscriptenBackend).wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  let kernels: SimdKernels | null = null;
  try {
    compiled ??= new WebAssembly.Module(decodeBase64(SIMD_MODULE_BASE64));
    kernels = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as SimdKernels;
  } catch {
    kernels = null;
  }
  instances.set(memory, kernels);
  return kernels;
}

/** Byte offset of a wasm tensor's data in the backend's memory. */
export function heapOffset(backend: WasmBackendLike, info: TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}
