// Kernel test cases the wasm and webgpu tests share: strides 1 and 2, 'same',
// 'valid' and explicit padding, odd sizes, batch 1, the tile shapes of our wasm
// SIMD kernels. Test-only: not exported by the package.

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
