import { PadV2, Reshape, Slice } from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeAll, runWebgpuKernel, type WebgpuBackendLike } from './kernel-utils.js';

type Attrs = NamedAttrMap & { dilations: number | [number, number]; filterShape?: [number, number, number, number] };

function dilationsOf(attrs: Attrs): [number, number] {
  return typeof attrs.dilations === 'number' ? [attrs.dilations, attrs.dilations] : attrs.dilations;
}

/** `[fh, fw, c, m]` → the same taps spaced (dh, dw) apart, zeros between: the dilated filter as a plain one. */
function dilateFilter(backend: WebgpuBackendLike, filter: TensorInfo, dh: number, dw: number, temps: TensorInfo[]): TensorInfo {
  const [fh, fw, c, m] = filter.shape as [number, number, number, number];
  const run = (name: string, x: TensorInfo, attrs: NamedAttrMap) => {
    const out = runWebgpuKernel(name, backend, { x }, attrs);
    temps.push(out);
    return out;
  };
  const grid = run(Reshape, filter, { shape: [fh, 1, fw, 1, c * m] });
  const spaced = run(PadV2, grid, { paddings: [[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0]], constantValue: 0 });
  const flat = run(Reshape, spaced, { shape: [fh * dh, fw * dw, c, m] });
  return run(Slice, flat, { begin: [0, 0, 0, 0], size: [(fh - 1) * dh + 1, (fw - 1) * dw + 1, c, m] });
}

/** The taps of a plain filter's gradient that a (dh, dw)-dilated filter has: every dh-th row, dw-th column. */
function takeTaps(backend: WebgpuBackendLike, big: TensorInfo, fh: number, fw: number, dh: number, dw: number, temps: TensorInfo[]): TensorInfo {
  const [, , c, m] = big.shape as [number, number, number, number];
  const run = (name: string, x: TensorInfo, attrs: NamedAttrMap) => {
    const out = runWebgpuKernel(name, backend, { x }, attrs);
    temps.push(out);
    return out;
  };
  const whole = run(PadV2, big, { paddings: [[0, dh - 1], [0, dw - 1], [0, 0], [0, 0]], constantValue: 0 });
  const grid = run(Reshape, whole, { shape: [fh, dh, fw, dw, c * m] });
  const taps = run(Slice, grid, { begin: [0, 0, 0, 0, 0], size: [fh, 1, fw, 1, c * m] });
  return runWebgpuKernel(Reshape, backend, { x: taps }, { shape: [fh, fw, c, m] });
}

/**
 * `DepthwiseConv2dNativeBackpropInput` / `…Filter` with dilations: tfjs-backend-webgpu
 * 4.22 (like the cpu backend) ignores the dilation in both, so the gradients are
 * those of an undilated filter. A dilated filter is a plain filter with zeros
 * between its taps: the input gradient runs the stock kernel on that filter, the
 * filter gradient runs it for that filter's shape and keeps the real taps.
 * Undilated calls go to the stock kernels unchanged.
 */
export function makeDepthwiseBackprop(which: 'input' | 'filter') {
  return (stock: KernelFunc): KernelFunc => (args) => {
    const attrs = args.attrs as Attrs;
    const [dh, dw] = dilationsOf(attrs);
    if (dh === 1 && dw === 1) return stock(args);
    const backend = args.backend as unknown as WebgpuBackendLike;
    const temps: TensorInfo[] = [];
    try {
      if (which === 'input') {
        const filter = dilateFilter(backend, (args.inputs as { filter: TensorInfo }).filter, dh, dw, temps);
        return stock({ ...args, inputs: { ...args.inputs, filter }, attrs: { ...attrs, dilations: 1 } });
      }
      const [fh, fw, c, m] = attrs.filterShape!;
      const big = stock({ ...args, attrs: { ...attrs, dilations: 1, filterShape: [(fh - 1) * dh + 1, (fw - 1) * dw + 1, c, m] } }) as TensorInfo;
      temps.push(big);
      return takeTaps(backend, big, fh, fw, dh, dw, temps);
    } finally {
      disposeAll(backend, temps);
    }
  };
}
