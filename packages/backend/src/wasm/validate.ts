import { backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs } from '@tensorflow/tfjs-core';

// Shape checks run by every kernel we install before it touches memory: the tfjs
// ops check their arguments, but `engine().runKernel` reaches a kernel directly,
// and a kernel that trusts mismatched shapes reads or writes past its buffers in
// the wasm heap (tfjs' own data) without a word.

/** An NHWC (or HWIO) shape. */
export type Shape4 = [number, number, number, number];

const show = (shape: readonly number[]) => `[${shape.join(',')}]`;

/** Throws the error of a kernel called with bad arguments, naming the kernel. */
export function kernelError(kernel: string, message: string): never {
  throw new Error(`@resnet/backend: ${kernel}: ${message}`);
}

/** `shape` as a rank-4 shape of whole, non-negative sizes, or a clear error. */
export function rank4(kernel: string, name: string, shape: readonly number[] | undefined): Shape4 {
  if (shape == null || shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    kernelError(kernel, `${name} must have a rank-4 shape of whole sizes; got ${shape == null ? 'none' : show(shape)}`);
  }
  return shape as Shape4;
}

/** Strides or dilations: one or two positive integers. */
function positive(kernel: string, name: string, value: number | [number, number] | undefined): void {
  const values = Array.isArray(value) ? value : [value ?? 1];
  if (values.length > 2 || !values.every((v) => Number.isInteger(v) && v >= 1)) {
    kernelError(kernel, `${name} must be one or two positive integers; got ${JSON.stringify(value)}`);
  }
}

/** The geometry attributes the convolution kernels share (tfjs-core's `Conv2DAttrs` without the dilations some lack). */
export type ConvGeometryAttrs = Pick<Conv2DAttrs, 'strides' | 'pad' | 'dataFormat' | 'dimRoundingMode'> & Partial<Pick<Conv2DAttrs, 'dilations'>>;

/**
 * tfjs' geometry of a convolution of an input of shape `xShape` by a filter of
 * shape `filterShape` (depthwise: [fh, fw, channels, multiplier]), after
 * checking that both are rank 4, that the input's channels are the filter's
 * `shape[2]`, and that strides, dilations and padding leave an output.
 */
export function convInfo(kernel: string, xShape: readonly number[] | undefined, filterShape: readonly number[] | undefined,
  attrs: ConvGeometryAttrs, depthwise = false): backend_util.Conv2DInfo {
  const x = rank4(kernel, 'the input', xShape);
  const f = rank4(kernel, 'the filter', filterShape);
  const channelsFirst = attrs.dataFormat === 'NCHW';
  const channels = channelsFirst ? x[1] : x[3];
  if (channels !== f[2]) {
    kernelError(kernel, `the input ${show(x)} has ${channels} channels but the filter ${show(f)} expects ${f[2]} (filter.shape[2])`);
  }
  positive(kernel, 'strides', attrs.strides);
  positive(kernel, 'dilations', attrs.dilations);
  const info = backend_util.computeConv2DInfo(x, f, attrs.strides, attrs.dilations ?? 1, attrs.pad as 'valid',
    attrs.dimRoundingMode, depthwise, channelsFirst ? 'channelsFirst' : 'channelsLast');
  if (!(info.outHeight >= 0 && info.outWidth >= 0)) {
    kernelError(kernel, `the filter ${show(f)} does not fit the input ${show(x)} with strides ${JSON.stringify(attrs.strides)} and padding ${JSON.stringify(attrs.pad)}`);
  }
  return info;
}

/** Checks that an output gradient `dy` has the shape of the convolution's output. */
export function checkOutputGradient(kernel: string, dyShape: readonly number[], info: backend_util.Conv2DInfo): void {
  rank4(kernel, 'dy', dyShape);
  if (!dyShape.every((d, i) => d === info.outShape[i])) {
    kernelError(kernel, `dy ${show(dyShape)} is not the shape of the convolution's output, ${show(info.outShape)}`);
  }
}
