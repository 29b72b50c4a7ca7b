import { Conv2D, FusedConv2D, backend_util, util } from '@tensorflow/tfjs-core';
import type { FusedConv2DAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-utils.js';
import { simdConv2D } from './conv2d-simd.js';
import { simdKernels } from './simd-kernels.js';
import { convInfo, kernelError } from './validate.js';

/**
 * The wasm backend's `Conv2D` and `FusedConv2D` by our SIMD convolution where it
 * applies (NHWC float32, no filter dilation, output channels a multiple of 4,
 * bias per channel or none, activation none or ReLU): Winograd for 3×3
 * stride-1 layers, the matrix-product kernel for unpadded 1×1 ones (any
 * stride), the direct kernel for the rest — and for fewer than 4 input
 * channels (an RGB stem: ResNet-50's 7×7 one takes about half XNNPACK's time).
 * Everything else goes to the stock (XNNPACK) kernel, after the same shape
 * checks.
 */
export function makeConv2D(fallback: KernelFunc | undefined, fused: boolean): KernelFunc {
  const name = fused ? FusedConv2D : Conv2D;
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs as unknown as FusedConv2DAttrs;
    if (x == null || filter == null) kernelError(name, 'needs inputs x and filter');
    const info = convInfo(name, x.shape, filter.shape, attrs);
    const activation = fused ? attrs.activation ?? 'linear' : 'linear';
    const co = info.outChannels;
    const applies = attrs.dataFormat !== 'NCHW' && x.dtype === 'float32' && filter.dtype === 'float32' && co % 4 === 0 &&
      backend_util.tupleValuesAreOne(attrs.dilations ?? 1) && (activation === 'linear' || activation === 'relu') &&
      preluActivationWeights == null && (bias == null || (bias.dtype === 'float32' && util.sizeFromShape(bias.shape) === co));
    const simd = applies ? simdKernels(backend) : null;
    if (simd == null) {
      if (fallback == null) kernelError(name, 'no stock kernel on wasm for this case');
      return fallback(args);
    }
    return simdConv2D(backend, simd, { x, filter, bias }, {
      outHeight: info.outHeight, outWidth: info.outWidth, outChannels: co,
      strideHeight: info.strideHeight, strideWidth: info.strideWidth, inputDilationHeight: 1, inputDilationWidth: 1,
      padTop: info.padInfo.top, padLeft: info.padInfo.left, relu: activation === 'relu',
    });
  };
}
