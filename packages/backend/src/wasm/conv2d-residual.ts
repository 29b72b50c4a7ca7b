import { Add, FusedConv2D, Relu, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeAll, runWasmKernel, type WasmBackendLike } from './kernel-utils.js';
import { simdConv2D } from './conv2d-simd.js';
import { simdKernels } from './simd-kernels.js';
import { convInfo, kernelError, rank4, type ConvGeometryAttrs } from './validate.js';

/**
 * Kernel: act(conv2d(x, filter) + bias + residual), act ReLU or none; what a residual block ends with.
 * The name is `CONV2D_RESIDUAL` of @resnet/blocks, whose `fuseForInference` runs it where registered
 * (this package does not depend on blocks; blocks' test checks the two names agree).
 */
export const CONV2D_RESIDUAL = 'ResnetConv2DResidual';

/** Attributes of {@link CONV2D_RESIDUAL}: NHWC, undilated. */
export type Conv2DResidualAttrs = Pick<ConvGeometryAttrs, 'strides' | 'pad'> & { relu: boolean };

/**
 * {@link CONV2D_RESIDUAL} on wasm: our SIMD convolution with the bias, the
 * residual addition and the ReLU in its epilogue (one pass over the output
 * instead of three); where it does not apply, the stock FusedConv2D, Add and
 * Relu kernels in turn.
 */
const conv2dResidual: KernelFunc = (args) => {
  const backend = args.backend as WasmBackendLike;
  const { x, filter, bias, residual } = args.inputs as Record<string, TensorInfo | undefined>;
  const attrs = args.attrs as unknown as Conv2DResidualAttrs;
  if (x == null || filter == null || residual == null) kernelError(CONV2D_RESIDUAL, 'needs inputs x, filter and residual');
  const info = convInfo(CONV2D_RESIDUAL, x.shape, filter.shape, { ...attrs, dataFormat: 'NHWC', dilations: 1 });
  if (!util.arraysEqual(rank4(CONV2D_RESIDUAL, 'the residual', residual.shape), info.outShape)) {
    kernelError(CONV2D_RESIDUAL, `the residual ${JSON.stringify(residual.shape)} is not shaped like the output, ${JSON.stringify(info.outShape)}`);
  }
  const co = info.outChannels;
  if (bias != null && util.sizeFromShape(bias.shape) !== co) kernelError(CONV2D_RESIDUAL, `bias has ${util.sizeFromShape(bias.shape)} values; the output has ${co} channels`);
  const floats = [x, filter, residual, bias].every((t) => t == null || t.dtype === 'float32');
  const simd = floats && co % 4 === 0 && info.inChannels >= 4 ? simdKernels(backend) : null;
  if (simd != null) {
    return simdConv2D(backend, simd, { x, filter, bias, residual }, {
      outHeight: info.outHeight, outWidth: info.outWidth, outChannels: co, strideHeight: info.strideHeight, strideWidth: info.strideWidth,
      inputDilationHeight: 1, inputDilationWidth: 1, padTop: info.padInfo.top, padLeft: info.padInfo.left, relu: attrs.relu,
    });
  }
  const conv = runWasmKernel(FusedConv2D, backend, bias == null ? { x, filter } : { x, filter, bias },
    { strides: attrs.strides, pad: attrs.pad, dataFormat: 'NHWC', dilations: 1, activation: 'linear' } as never);
  const sum = runWasmKernel(Add, backend, { a: conv, b: residual }, {});
  disposeAll(backend, [conv]);
  if (!attrs.relu) return sum;
  const out = runWasmKernel(Relu, backend, { x: sum }, {});
  disposeAll(backend, [sum]);
  return out;
};

/** The kernel's config for the wasm backend. */
export const conv2dResidualConfig: KernelConfig = { kernelName: CONV2D_RESIDUAL, backendName: 'wasm', kernelFunc: conv2dResidual };
