import { Conv2D, Conv2DBackpropFilter, Slice, Transpose } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeAll, runWasmKernel, type WasmBackendLike } from './kernel-utils.js';
import { simdKernels } from './simd-kernels.js';
import { simdFilterGrad } from './filter-grad-simd.js';
import { checkOutputGradient, convInfo, type Shape4 } from './validate.js';

/**
 * `Conv2DBackpropFilter` for the wasm backend, which has none (tensorflow/tfjs#8474):
 *
 * dW[i, j, ci, co] = Σ_{n, y, x} X[n, y·s + i − pad, x·s + j − pad, ci] · dY[n, y, x, co]
 *
 * computed by our SIMD kernels when the output channels are a multiple of 4
 * (filter-grad-simd.ts: Winograd, a matrix product, or the direct kernel).
 * Otherwise (or without wasm SIMD) it is an XNNPACK convolution of X with
 * batch and channels swapped ([Ci, H, W, N]) by dY used as a filter
 * ([Ho, Wo, N, Co]) dilated by the forward stride; its output
 * [Ci, fh, fw, Co] is transposed back to [fh, fw, Ci, Co]. Input rows and columns
 * a 'valid' strided convolution never reads are cropped first (XNNPACK takes no
 * negative padding).
 */
export function makeConv2DBackpropFilter(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const info = convInfo(Conv2DBackpropFilter, x?.shape, attrs.filterShape, attrs);
    checkOutputGradient(Conv2DBackpropFilter, dy.shape, info);
    if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || dy.dtype !== 'float32') {
      if (fallback == null) {
        throw new Error(`@resnet/backend: Conv2DBackpropFilter on wasm supports NHWC float32 only (got ${attrs.dataFormat}, ${x.dtype})`);
      }
      return fallback(args);
    }
    const { filterHeight: fh, filterWidth: fw, inHeight, inWidth, outHeight, outWidth, strideHeight: sh, strideWidth: sw, padInfo } = info;
    const simd = info.outChannels % 4 === 0 ? simdKernels(backend) : null;
    if (simd != null) return simdFilterGrad(backend, simd, x, dy, info);
    // Output size of the gradient conv = H + top + bottom − ((Ho−1)·sh + 1) + 1 must be fh.
    let bottom = fh - 1 - inHeight - padInfo.top + (outHeight - 1) * sh + 1;
    let right = fw - 1 - inWidth - padInfo.left + (outWidth - 1) * sw + 1;
    const keepH = bottom < 0 ? inHeight + bottom : inHeight;
    const keepW = right < 0 ? inWidth + right : inWidth;
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
    const temps: TensorInfo[] = [];
    try {
      let xs = x;
      if (keepH !== inHeight || keepW !== inWidth) {
        const [n, , , c] = x.shape as Shape4;
        xs = runWasmKernel(Slice, backend, { x }, { begin: [0, 0, 0, 0], size: [n, keepH, keepW, c] });
        temps.push(xs);
      }
      const xT = runWasmKernel(Transpose, backend, { x: xs }, { perm: [3, 1, 2, 0] });
      temps.push(xT);
      const dyT = runWasmKernel(Transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] });
      temps.push(dyT);
      const g = runWasmKernel(Conv2D, backend, { x: xT, filter: dyT }, {
        strides: [1, 1], dilations: [sh, sw], dataFormat: 'NHWC', dimRoundingMode: undefined as unknown as string,
        pad: [[0, 0], [padInfo.top, bottom], [padInfo.left, right], [0, 0]],
      });
      temps.push(g);
      return runWasmKernel(Transpose, backend, { x: g }, { perm: [1, 2, 0, 3] });
    } finally {
      disposeAll(backend, temps);
    }
  };
}
