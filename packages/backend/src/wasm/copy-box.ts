import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-utils.js';
import { simdKernels } from './simd-kernels.js';
import { runShares } from './simd-threads.js';
import { rowParts } from './split.js';

// Box copies for Slice and PadV2 on the wasm backend: a box of elements from one
// layout in tfjs' heap to another, by our copy_box kernel (csrc/copy.c), split
// over the kernel workers by its outermost axis, or in JavaScript where that
// kernel does not apply (1-byte elements, more than four axes of runs, our
// kernels off).

/** A typed view of the whole heap, in a tensor's element type. */
export type Heap = Float32Array | Int32Array | Uint8Array;

/** The whole heap as elements of `info`'s dtype, and `info`'s first element in it. */
export function heapOf(backend: WasmBackendLike, info: TensorInfo): [Heap, number] {
  const view = backend.typedArrayFromHeap(info) as Heap;
  const whole = new (view.constructor as Float32ArrayConstructor)(view.buffer as ArrayBuffer);
  return [whole, view.byteOffset / view.BYTES_PER_ELEMENT];
}

/** Runs shorter than this are copied element by element in JavaScript: a `copyWithin` call costs about as much as 32 element copies. */
const SHORT_RUN = 32;

/**
 * The box's axes with those contiguous on both sides merged and those of
 * extent 1 dropped: extents and strides (in elements) of each side, the last
 * axis a run contiguous on both (of one element when no axis is). Null for an
 * empty box.
 */
function mergeAxes(srcStrides: readonly number[], dstStrides: readonly number[], extent: readonly number[]): { ext: number[]; ss: number[]; ds: number[] } | null {
  const ext: number[] = [];
  const ss: number[] = [];
  const ds: number[] = [];
  for (let d = 0; d < extent.length; d++) {
    if (extent[d] === 0) return null;
    if (extent[d] === 1) continue;
    const k = ext.length - 1;
    if (k >= 0 && ss[k] === srcStrides[d]! * extent[d]! && ds[k] === dstStrides[d]! * extent[d]!) {
      ext[k] = ext[k]! * extent[d]!;
      ss[k] = srcStrides[d]!;
      ds[k] = dstStrides[d]!;
    } else {
      ext.push(extent[d]!);
      ss.push(srcStrides[d]!);
      ds.push(dstStrides[d]!);
    }
  }
  if (ext.length === 0 || ss.at(-1) !== 1 || ds.at(-1) !== 1) {
    ext.push(1);
    ss.push(1);
    ds.push(1);
  }
  return { ext, ss, ds };
}

/**
 * Copies the box of `extent` elements (row-major) from `heap` at element `src`
 * to `heap` at element `dst`, each side with its own strides (in elements; the
 * two boxes do not overlap). Axes contiguous on both sides are merged first, so
 * the work is as few runs as the layouts allow.
 */
export function copyBox(backend: WasmBackendLike, heap: Heap, src: number, srcStrides: readonly number[], dst: number, dstStrides: readonly number[], extent: readonly number[]): void {
  const box = mergeAxes(srcStrides, dstStrides, extent);
  if (box == null) return;
  const { ext, ss, ds } = box;
  const simd = heap.BYTES_PER_ELEMENT === 4 && ext.length <= 5 ? simdKernels(backend) : null;
  if (simd != null) {
    // One long run: rows of up to 4,096 elements (a power of two dividing it), so that it can be split too.
    let w = 4096;
    while (ext.length === 1 && ext[0]! % w !== 0) w >>= 1;
    if (ext.length === 1 && w >= 64 && ext[0]! > w) {
      ext.splice(0, 1, ext[0]! / w, w);
      ss.unshift(w);
      ds.unshift(w);
    }
    // Axes of extent 1 after the outermost (the one split over the threads) up to [n0, n1, n2, n3, run].
    while (ext.length < 5) {
      ext.splice(1, 0, 1);
      ss.splice(1, 0, 0);
      ds.splice(1, 0, 0);
    }
    const [n0, n1, n2, n3, run] = ext as [number, number, number, number, number];
    const bounds = rowParts(backend, n0, n1 * n2 * n3 * run);
    runShares(simd, bounds.slice(1).map((end, i) => ({ kernel: 'copy_box', args: {
      src: 4 * (src + bounds[i]! * ss[0]!), dst: 4 * (dst + bounds[i]! * ds[0]!), run, n0: end - bounds[i]!, n1, n2, n3,
      s0: ss[0]!, s1: ss[1]!, s2: ss[2]!, s3: ss[3]!, d0: ds[0]!, d1: ds[1]!, d2: ds[2]!, d3: ds[3]! } })));
    return;
  }
  const last = ext.length - 1;
  const run = ext[last]!;
  const copy = (d: number, a: number, b: number): void => {
    if (d < last) {
      for (let i = 0; i < ext[d]!; i++) copy(d + 1, a + i * ss[d]!, b + i * ds[d]!);
    } else if (run >= SHORT_RUN) {
      heap.copyWithin(b, a, a + run);
    } else {
      for (let i = 0; i < run; i++) heap[b + i] = heap[a + i]!;
    }
  };
  copy(0, src, dst);
}
