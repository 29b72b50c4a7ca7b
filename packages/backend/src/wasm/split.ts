import type { KernelCall } from './kernel-abi.js';
import type { WasmBackendLike } from './kernel-utils.js';
import { backendMemory, type SimdKernels } from './simd-kernels.js';
import { runShares, simdPool } from './simd-threads.js';

/** Work (multiply-accumulates) below which a kernel call is not worth splitting over threads. */
export const SPLIT_MIN_MACS = 1 << 20;

/** Threads to split a call of `work` multiply-accumulates over on `backend`: the pool's, or 1. */
export function splitThreads(backend: WasmBackendLike, work: number): number {
  if (work < SPLIT_MIN_MACS) return 1;
  return simdPool(backendMemory(backend))?.threads ?? 1;
}

/**
 * Bounds of `parts` contiguous ranges that cover [0, total) as evenly as
 * whole multiples of `grain` allow (the last range takes the remainder):
 * `[0, b1, …, total]`, `parts + 1` numbers. Ranges may be empty.
 */
export function partition(total: number, parts: number, grain = 1): number[] {
  const blocks = Math.ceil(total / grain);
  return Array.from({ length: parts + 1 }, (_, i) => Math.min(total, grain * Math.round((i * blocks) / parts)));
}

/** Multiply-adds one element of a one-pass kernel (BatchNorm, ReLU's gradient) counts as when deciding to split: memory-bound work gains from a second core only in large tensors. */
export const ELEMENT_WORK = 4;

/**
 * Runs a one-pass kernel over the `rows` rows of `width` floats each, split
 * into row ranges over the pool's threads when the tensor is large:
 * `call(r0, r1, i)` is share i's call for rows [r0, r1).
 */
export function runRows(backend: WasmBackendLike, simd: SimdKernels, rows: number, width: number, call: (r0: number, r1: number, i: number) => KernelCall): void {
  const bounds = partition(rows, Math.max(1, Math.min(rows, splitThreads(backend, ELEMENT_WORK * rows * width))));
  runShares(simd, bounds.slice(1).map((end, i) => call(bounds[i]!, end, i)));
}
