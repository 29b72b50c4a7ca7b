import type { TensorInfo } from '@tensorflow/tfjs-core';
import { f32, type WasmBackendLike } from './kernel-utils.js';
import { helperCallBase } from './filter-cache.js';
import type { SimdHelper } from './simd-threads.js';

/** Work (multiply-accumulates) below which a kernel call is not worth splitting over two threads. */
export const SPLIT_MIN_MACS = 1 << 20;

/**
 * Places buffers of the given float counts one after another, above the
 * helper's cached filters (64-byte aligned: a
 * cache line, so SIMD accesses never straddle two)
 * in the helper's memory, grows it to fit, and returns their byte offsets.
 */
export function helperLayout(helper: SimdHelper, floats: number[]): number[] {
  let at = helperCallBase(helper);
  const offsets = floats.map((n) => {
    const here = at;
    at += Math.ceil((4 * n) / 64) * 64;
    return here;
  });
  helper.reserve(at);
  return offsets;
}

/** Copies floats [from, from + count) of a wasm tensor into the helper's memory at byte offset `to`. */
export function copyToHelper(backend: WasmBackendLike, helper: SimdHelper, info: TensorInfo, from: number, count: number, to: number): void {
  helper.f32().set(f32(backend, info).subarray(from, from + count), to / 4);
}

/** Copies `count` floats at byte offset `from` of the helper's memory into a wasm tensor at float `to`. */
export function copyFromHelper(backend: WasmBackendLike, helper: SimdHelper, from: number, count: number, info: TensorInfo, to: number): void {
  f32(backend, info).set(helper.f32().subarray(from / 4, from / 4 + count), to);
}
