import type { TensorInfo } from '@tensorflow/tfjs-core';
import { disposeAll, type WasmBackendLike } from './kernel-utils.js';
import { heapOffset, type SimdKernels } from './simd-kernels.js';
import { simdHelper } from './simd-threads.js';
import { SPLIT_MIN_MACS, copyFromHelper, copyToHelper, helperLayout } from './split.js';

/** Geometry of one call of the SIMD `conv2d` kernel (see csrc/training_kernels.c). */
export interface SimdConvGeometry {
  /** Output height and width. */
  outHeight: number;
  outWidth: number;
  /** Output channels; a multiple of 4. */
  outChannels: number;
  strideHeight: number;
  strideWidth: number;
  /** Input dilation (zeros between input pixels): the stride of the convolution whose input gradient this is. */
  inputDilationHeight: number;
  inputDilationWidth: number;
  /** Padding before the first row and column (may be negative). */
  padTop: number;
  padLeft: number;
  relu: boolean;
}

/** The geometry arguments of the `conv2d` kernel, after the row range. */
type ConvArgs = [h: number, w: number, ci: number, ho: number, wo: number, co: number, fh: number, fw: number,
  sh: number, sw: number, dh: number, dw: number, pt: number, pl: number, relu: number];

/**
 * Runs the SIMD direct convolution on `x` ([n, h, w, ci]) with `filter`
 * ([fh, fw, ci, co]) and an optional per-channel `bias`; returns the new
 * [n, outHeight, outWidth, co] output (the caller owns it). With the helper
 * thread running, the output rows are split between it and this thread.
 */
export function simdConv2D(
  backend: WasmBackendLike, simd: SimdKernels, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | null, g: SimdConvGeometry,
): TensorInfo {
  const [n, h, w, ci] = x.shape as [number, number, number, number];
  const [fh, fw] = filter.shape as [number, number, number, number];
  const co = g.outChannels;
  const geometry: ConvArgs = [h, w, ci, g.outHeight, g.outWidth, co, fh, fw, g.strideHeight, g.strideWidth,
    g.inputDilationHeight, g.inputDilationWidth, g.padTop, g.padLeft, g.relu ? 1 : 0];
  const zeros = backend.makeOutput([ci], 'float32');
  const packed = backend.makeOutput(filter.shape, 'float32');
  const out = backend.makeOutput([n, g.outHeight, g.outWidth, co], 'float32');
  backend.typedArrayFromHeap(zeros).fill(0);
  try {
    runSplit(backend, simd, { x, filter, bias, out, zeros, packed }, geometry, n);
  } catch (err) {
    backend.disposeData(out.dataId);
    throw err;
  } finally {
    disposeAll(backend, [zeros, packed]);
  }
  return out;
}

/** The kernel call(s) of {@link simdConv2D}: rows [0, split) here, [split, rows) on the helper thread if running. */
function runSplit(
  backend: WasmBackendLike, simd: SimdKernels,
  t: { x: TensorInfo; filter: TensorInfo; bias: TensorInfo | null; out: TensorInfo; zeros: TensorInfo; packed: TensorInfo },
  geometry: ConvArgs, n: number,
): void {
  const { x, filter, bias, out, zeros, packed } = t;
  const [h, w, ci, ho, wo, co, fh, fw] = geometry;
  const rows = n * ho;
  const rowFloats = wo * co;
  const filterFloats = fh * fw * ci * co;
  const helper = rows >= 2 && rows * rowFloats * fh * fw * ci >= SPLIT_MIN_MACS ? simdHelper() : null;
  const split = helper == null ? rows : rows >> 1;
  let helperOut = 0;
  if (helper != null) {
    // The images the helper's rows span are copied over.
    const image = h * w * ci;
    const first = Math.floor(split / ho);
    const [hx, hf, hb, hz, hp, hout] = helperLayout(helper, [(n - first) * image, filterFloats, co, ci, filterFloats, (rows - split) * rowFloats]);
    copyToHelper(backend, helper, x, first * image, (n - first) * image, hx!);
    copyToHelper(backend, helper, filter, 0, filterFloats, hf!);
    if (bias != null) copyToHelper(backend, helper, bias, 0, co, hb!);
    helper.f32().fill(0, hz! / 4, hz! / 4 + ci);
    helper.start('conv2d', [hx!, hf!, bias == null ? 0 : hb!, hout!, hz!, hp!, split, rows, ...geometry]);
    helperOut = hout!;
  }
  try {
    simd.conv2d(heapOffset(backend, x), heapOffset(backend, filter), bias == null ? 0 : heapOffset(backend, bias),
      heapOffset(backend, out), heapOffset(backend, zeros), heapOffset(backend, packed), 0, split, ...geometry);
  } finally {
    helper?.wait();
  }
  if (helper != null) copyFromHelper(backend, helper, helperOut, (rows - split) * rowFloats, out, split * rowFloats);
}
