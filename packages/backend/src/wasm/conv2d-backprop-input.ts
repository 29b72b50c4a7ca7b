import { Conv2D, Conv2DBackpropInput, backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeAll, f32, runWasmKernel, type WasmBackendLike } from './kernel-utils.js';
import { simdConv2D } from './conv2d-simd.js';
import { simdKernels } from './simd-kernels.js';
import { checkOutputGradient, convInfo, type Shape4 } from './validate.js';

/**
 * Inserts `sh - 1` zero rows and `sw - 1` zero columns between the rows and
 * columns of `dy` ([N, Ho, Wo, C] → [N, (Ho-1)·sh+1, (Wo-1)·sw+1, C]): a strided
 * convolution's input gradient is a stride-1 convolution of that dilated gradient.
 */
export function dilateNhwc(backend: WasmBackendLike, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  const [n, ho, wo, c] = dy.shape as Shape4;
  const hd = (ho - 1) * sh + 1;
  const wd = (wo - 1) * sw + 1;
  const out = backend.makeOutput([n, hd, wd, c], 'float32');
  // Views are taken after the allocation: a heap growth detaches older views.
  const src = f32(backend, dy);
  const dst = f32(backend, out);
  dst.fill(0);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < ho; r++) {
      for (let q = 0; q < wo; q++) {
        const s = ((b * ho + r) * wo + q) * c;
        const d = ((b * hd + r * sh) * wd + q * sw) * c;
        dst.set(src.subarray(s, s + c), d);
      }
    }
  }
  return out;
}

/**
 * Filter [fh, fw, Ci, Co] → [fh, fw, Co, Ci] turned by 180° in space: the filter
 * of the convolution that maps an output gradient back onto the input.
 */
export function rotateSwapFilter(backend: WasmBackendLike, filter: TensorInfo): TensorInfo {
  const [fh, fw, ci, co] = filter.shape as Shape4;
  const out = backend.makeOutput([fh, fw, co, ci], 'float32');
  const src = f32(backend, filter);
  const dst = f32(backend, out);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const sBase = ((fh - 1 - i) * fw + (fw - 1 - j)) * ci * co;
      const dBase = (i * fw + j) * co * ci;
      for (let a = 0; a < ci; a++) {
        for (let o = 0; o < co; o++) dst[dBase + o * ci + a] = src[sBase + a * co + o]!;
      }
    }
  }
  return out;
}

/**
 * `Conv2DBackpropInput` for the wasm backend as a forward convolution
 * dx = conv2d(dilate(dy, stride), rot180(W)ᵀ) with padding `f - 1 - pad` before
 * (and whatever makes the output the input's size after). With input channels a
 * multiple of 4 our SIMD kernel runs it without materialising the dilation (it
 * skips the zeros); otherwise the backend's own (XNNPACK) conv2d runs it on the
 * dilated gradient. Either is far faster than the stock wasm kernel, a naive
 * loop nest. Cases neither can express (NCHW, XNNPACK with a pad larger than
 * the filter) go to `fallback`.
 */
export function makeConv2DBackpropInput(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const checked = convInfo(Conv2DBackpropInput, attrs.inputShape, filter?.shape, attrs);
    checkOutputGradient(Conv2DBackpropInput, dy.shape, checked);
    const info = attrs.dataFormat === 'NCHW' ? null : checked;
    const floats = dy.dtype === 'float32' && filter.dtype === 'float32';
    const simd = info != null && floats && info.inChannels % 4 === 0 ? simdKernels(backend) : null;
    if (info != null && simd != null) {
      const rotated = rotateSwapFilter(backend, filter);
      try {
        return simdConv2D(backend, simd, { x: dy, filter: rotated }, {
          outHeight: info.inHeight, outWidth: info.inWidth, outChannels: info.inChannels, strideHeight: 1, strideWidth: 1,
          inputDilationHeight: info.strideHeight, inputDilationWidth: info.strideWidth,
          padTop: info.filterHeight - 1 - info.padInfo.top, padLeft: info.filterWidth - 1 - info.padInfo.left, relu: false,
        });
      } finally {
        disposeAll(backend, [rotated]);
      }
    }
    const plan = info == null ? null : padsFor(info);
    if (info == null || plan == null || !floats) {
      if (fallback == null) throw new Error('@resnet/backend: Conv2DBackpropInput on wasm supports NHWC float32 with pads smaller than the filter');
      return fallback(args);
    }
    const dilated = info.strideHeight > 1 || info.strideWidth > 1
      ? dilateNhwc(backend, dy, info.strideHeight, info.strideWidth) : dy;
    const rotated = rotateSwapFilter(backend, filter);
    try {
      return runWasmKernel(Conv2D, backend, { x: dilated, filter: rotated }, {
        strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined as unknown as string,
        pad: [[0, 0], [plan.top, plan.bottom], [plan.left, plan.right], [0, 0]],
      });
    } finally {
      disposeAll(backend, [rotated, dilated === dy ? undefined : dilated]);
    }
  };
}

/** Paddings of the gradient convolution, or null when one would be negative. */
function padsFor(info: backend_util.Conv2DInfo): { top: number; bottom: number; left: number; right: number } | null {
  const { filterHeight: fh, filterWidth: fw, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, padInfo } = info;
  const top = fh - 1 - padInfo.top;
  const left = fw - 1 - padInfo.left;
  // Output rows = dilatedRows + top + bottom - fh + 1 must equal inHeight.
  const bottom = inHeight - ((outHeight - 1) * strideHeight + 1) - top + fh - 1;
  const right = inWidth - ((outWidth - 1) * strideWidth + 1) - left + fw - 1;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return null;
  return { top, bottom, left, right };
}
