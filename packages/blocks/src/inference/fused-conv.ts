import { add, engine, fused, getBackend, getKernel, relu, type Tensor, type Tensor4D, type backend_util } from '@tensorflow/tfjs-core';

/**
 * Name of the kernel `act(conv2d(x, filter) + bias + residual)` (act ReLU or
 * none, NHWC, undilated) that {@link fuseForInference} runs where the active
 * backend registers it: @resnet/backend does on wasm (its SIMD convolution with
 * the bias, residual addition and ReLU in one pass). Inputs `x`, `filter`,
 * `residual` and optionally `bias`; attributes `strides`, `pad` and `relu`.
 */
export const CONV2D_RESIDUAL = 'ResnetConv2DResidual';

/** One convolution and what was fused into it: BatchNorm folded into filter and bias, padding, residual addition, ReLU. */
export interface FusedConv {
  filter: Tensor4D;
  bias: Tensor | null;
  relu: boolean;
  strides: [number, number];
  pad: 'same' | 'valid' | backend_util.ExplicitPadding;
}

/**
 * Runs one fused convolution on `x` (plus `residual`, if any): the
 * {@link CONV2D_RESIDUAL} kernel where the active backend registers it, else
 * the same maths by tfjs ops (`fused.conv2d`, `add`, `relu`).
 */
export function runFusedConv(g: FusedConv, x: Tensor4D, residual: Tensor | null): Tensor {
  const conv = { x, filter: g.filter, strides: g.strides, pad: g.pad, bias: g.bias ?? undefined };
  if (residual == null) return fused.conv2d({ ...conv, activation: g.relu ? 'relu' : 'linear' });
  if (getKernel(CONV2D_RESIDUAL, getBackend()) != null) {
    return engine().runKernel(CONV2D_RESIDUAL, { x, filter: g.filter, residual, ...(g.bias ? { bias: g.bias } : {}) },
      { strides: g.strides, pad: g.pad as never, relu: g.relu }) as Tensor;
  }
  const y = add(fused.conv2d({ ...conv, activation: 'linear' }), residual);
  return g.relu ? relu(y) : y;
}
