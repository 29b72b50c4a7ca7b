import { Conv2D, FusedConv2D, backend_util, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-utils.js';
import { simdConv2D } from './conv2d-simd.js';
import { simdKernels } from './simd-kernels.js';

type Shape4 = [number, number, number, number];
type ConvAttrs = NamedAttrMap & {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
};

/**
 * The wasm backend's `Conv2D` and `FusedConv2D` by our SIMD direct convolution
 * where it applies (NHWC float32, no filter dilation, at least 4 input channels,
 * output channels a multiple of 4, bias per channel or none, activation none or
 * ReLU); everything else goes to the stock (XNNPACK) kernel. On ResNet-20's
 * layers it runs 1.2–1.5× faster than XNNPACK as tfjs drives it; on a 3-channel
 * stem XNNPACK is faster (`pnpm --filter resnet-bench kernels`).
 */
export function makeConv2D(fallback: KernelFunc | undefined, fused: boolean): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs as ConvAttrs;
    const activation = fused ? attrs.activation ?? 'linear' : 'linear';
    const co = filter!.shape[3]!;
    const applies = attrs.dataFormat !== 'NCHW' && x!.dtype === 'float32' && filter!.dtype === 'float32' && co % 4 === 0 && filter!.shape[2]! >= 4 &&
      backend_util.tupleValuesAreOne(attrs.dilations ?? 1) && (activation === 'linear' || activation === 'relu') &&
      preluActivationWeights == null && (bias == null || (bias.dtype === 'float32' && util.sizeFromShape(bias.shape) === co));
    const simd = applies ? simdKernels(backend) : null;
    if (simd == null) {
      if (fallback == null) throw new Error(`@resnet/backend: no stock ${fused ? FusedConv2D : Conv2D} kernel on wasm`);
      return fallback(args);
    }
    const info = backend_util.computeConv2DInfo(x!.shape as Shape4, filter!.shape as Shape4, attrs.strides, 1,
      attrs.pad as 'valid', attrs.dimRoundingMode, false, 'channelsLast');
    return simdConv2D(backend, simd, x!, filter!, bias ?? null, {
      outHeight: info.outHeight, outWidth: info.outWidth, outChannels: co,
      strideHeight: info.strideHeight, strideWidth: info.strideWidth, inputDilationHeight: 1, inputDilationWidth: 1,
      padTop: info.padInfo.top, padLeft: info.padInfo.left, relu: activation === 'relu',
    });
  };
}
