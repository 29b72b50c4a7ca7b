// Kernel test cases the wasm and webgpu tests share: strides 1 and 2, 'same',
// 'valid' and explicit padding, odd sizes, batch 1, the tile shapes of our wasm
// SIMD kernels, and the ops each suite runs on them. Test-only: not exported by the package.
import * as tf from '@tensorflow/tfjs-core';
import { values } from './wasm/test-utils.js';

/** Explicit NHWC padding, PyTorch-style. */
export type ExplicitPad = [[0, 0], [number, number], [number, number], [0, 0]];

/** A conv2d case: input and filter shapes (NHWC, HWIO), strides and padding. */
export interface ConvCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | ExplicitPad;
}

/** Conv2D / FusedConv2D and both gradients. */
export const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 9, 3], f: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [1, 9, 7, 3], f: [3, 3, 3, 5], strides: 2, pad: 'same' }, // batch 1, odd sizes
  { x: [2, 8, 10, 4], f: [3, 3, 4, 2], strides: 2, pad: 'same' }, // TF 'same' pads bottom/right more
  { x: [2, 9, 8, 2], f: [3, 3, 2, 3], strides: 2, pad: 'valid' }, // last row never read
  { x: [2, 6, 6, 3], f: [3, 3, 3, 3], strides: 1, pad: 'valid' },
  { x: [2, 8, 8, 4], f: [1, 1, 4, 6], strides: 2, pad: 'valid' }, // projection shortcut
  { x: [1, 11, 11, 2], f: [5, 5, 2, 3], strides: 2, pad: 'same' },
  { x: [2, 7, 6, 3], f: [3, 1, 3, 2], strides: [2, 1], pad: 'same' },
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], strides: 2, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] }, // PyTorch-style
  { x: [1, 5, 5, 2], f: [3, 3, 2, 2], strides: 1, pad: [[0, 0], [3, 3], [3, 2], [0, 0]] }, // pad > filter: wasm's stock fallback
  // Output channels a multiple of 4: wasm's SIMD filter-gradient kernel (4- and 8-wide tiles, 1- and 4-row tiles).
  { x: [2, 9, 7, 5], f: [3, 3, 5, 8], strides: 2, pad: 'same' },
  { x: [1, 7, 7, 8], f: [3, 3, 8, 12], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 4], f: [1, 1, 4, 8], strides: 2, pad: 'valid' },
  { x: [1, 6, 7, 4], f: [3, 3, 4, 16], strides: [1, 2], pad: 'valid' },
  { x: [1, 5, 5, 4], f: [3, 3, 4, 4], strides: 1, pad: [[0, 0], [3, 3], [3, 2], [0, 0]] }, // pad > filter, all SIMD on wasm
  { x: [2, 9, 9, 8], f: [3, 3, 8, 8], strides: 2, pad: [[0, 0], [0, 2], [1, 0], [0, 0]] }, // lopsided pads, stride 2
  { x: [1, 3, 3, 1], f: [5, 5, 1, 4], strides: 3, pad: 'same' }, // taps that never touch the image
  // 64 channels and more: the filter gradient as a matrix product (pixels not a multiple of 4; a strided 3×3 reading padding).
  { x: [2, 5, 3, 64], f: [1, 1, 64, 64], strides: 1, pad: 'same' },
  { x: [1, 9, 9, 64], f: [3, 3, 64, 68], strides: 2, pad: 'same' },
  // Fewer than 4 input channels: the filter gradient tiles a tap row's (column, channel) pairs.
  { x: [2, 13, 12, 3], f: [7, 7, 3, 8], strides: 2, pad: 'same' }, // an RGB stem, padded
  { x: [1, 14, 13, 3], f: [7, 7, 3, 4], strides: 2, pad: 'valid' }, // an RGB stem after ZeroPadding2D
  { x: [2, 6, 9, 2], f: [3, 3, 2, 8], strides: 1, pad: 'same' }, // 6 pairs a row: a tile of 4, then 2 alone
];

/** A depthwise conv case. */
export interface DepthwiseCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number;
  pad: 'same' | 'valid';
  dilations: number;
}

/** DepthwiseConv2dNative and its two gradients. */
export const DEPTHWISE_CASES: DepthwiseCase[] = [
  { x: [2, 7, 9, 3], f: [3, 3, 3, 1], strides: 1, pad: 'same', dilations: 1 },
  { x: [1, 9, 7, 3], f: [3, 3, 3, 2], strides: 2, pad: 'same', dilations: 1 }, // multiplier 2, batch 1
  { x: [2, 8, 9, 2], f: [3, 3, 2, 1], strides: 2, pad: 'valid', dilations: 1 },
];

/** BatchNorm shapes: channels a multiple of 4, not, and more rows than a SIMD block. */
export const BATCHNORM_SHAPES: number[][] = [[4, 5, 3, 8], [2, 3, 3, 6], [130, 4]];

/**
 * conv2d(x, w), the gradients of sum(conv2d(x, w) * r) for x and w (r a fixed
 * random weighting), relu(conv2d(x, w) + bias) (fused) and its gradients for x, w, bias.
 */
export function convAndGrads(c: ConvCase): tf.Tensor[] {
  const x = tf.tensor4d(values(c.x.reduce((a, b) => a * b), 1), c.x);
  const w = tf.tensor4d(values(c.f.reduce((a, b) => a * b), 2), c.f);
  const y = tf.conv2d(x, w, c.strides, c.pad);
  const r = tf.tensor(values(y.size, 3), y.shape);
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)));
  const bias = tf.tensor1d(values(c.f[3], 4));
  const fused = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) =>
    tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: c.strides, pad: c.pad, bias: d, activation: 'relu' });
  const fusedGrads = tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(fused(a, b, d), r)));
  return [y, ...g([x, w]), fused(x, w, bias), ...fusedGrads([x, w, bias])];
}

/** The two depthwise gradient kernels, called directly. */
export function depthwiseGrads(c: DepthwiseCase): tf.Tensor[] {
  const x = tf.tensor4d(values(c.x.reduce((a, b) => a * b), 4), c.x);
  const w = tf.tensor4d(values(c.f.reduce((a, b) => a * b), 5), c.f);
  const y = tf.depthwiseConv2d(x, w, c.strides, c.pad, 'NHWC', c.dilations);
  const dy = tf.tensor(values(y.size, 6), y.shape);
  const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations, dimRoundingMode: undefined };
  return [
    y,
    tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...attrs, inputShape: c.x } as never) as tf.Tensor,
    tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: c.f } as never) as tf.Tensor,
  ];
}

/**
 * relu(conv2d(x, w) + bias) (fused) and the gradients of sum(that · r) for x, w
 * and bias (r a fixed random weighting): every kernel a fused convolution's
 * training step runs, on inputs of `c`'s shapes.
 */
export function fusedConvAndGrads(c: ConvCase): tf.Tensor[] {
  const x = tf.tensor4d(values(c.x.reduce((a, b) => a * b), 1), c.x);
  const w = tf.tensor4d(values(c.f.reduce((a, b) => a * b), 2), c.f);
  const bias = tf.tensor1d(values(c.f[3], 3));
  const conv = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) =>
    tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: c.strides, pad: c.pad, bias: d, activation: 'relu' });
  const y = conv(x, w, bias);
  const r = tf.tensor(values(y.size, 4), y.shape);
  return [y, ...tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(conv(a, b, d), r)))([x, w, bias])];
}
