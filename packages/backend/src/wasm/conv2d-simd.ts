import type { TensorInfo } from '@tensorflow/tfjs-core';
import { disposeAll, type WasmBackendLike } from './kernel-utils.js';
import { heapOffset, type SimdKernels } from './simd-kernels.js';

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

/**
 * Runs the SIMD direct convolution on `x` ([n, h, w, ci]) with `filter`
 * ([fh, fw, ci, co]) and an optional per-channel `bias`; returns the new
 * [n, outHeight, outWidth, co] output (the caller owns it).
 */
export function simdConv2D(
  backend: WasmBackendLike, simd: SimdKernels, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | null, g: SimdConvGeometry,
): TensorInfo {
  const [n, h, w, ci] = x.shape as [number, number, number, number];
  const [fh, fw] = filter.shape as [number, number, number, number];
  const zeros = backend.makeOutput([ci], 'float32');
  const packed = backend.makeOutput(filter.shape, 'float32');
  const out = backend.makeOutput([n, g.outHeight, g.outWidth, g.outChannels], 'float32');
  backend.typedArrayFromHeap(zeros).fill(0);
  simd.conv2d(heapOffset(backend, x), heapOffset(backend, filter), bias == null ? 0 : heapOffset(backend, bias),
    heapOffset(backend, out), heapOffset(backend, zeros), heapOffset(backend, packed), n, h, w, ci, g.outHeight, g.outWidth, g.outChannels,
    fh, fw, g.strideHeight, g.strideWidth, g.inputDilationHeight, g.inputDilationWidth, g.padTop, g.padLeft, g.relu ? 1 : 0);
  disposeAll(backend, [zeros, packed]);
  return out;
}
