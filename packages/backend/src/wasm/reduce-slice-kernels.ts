import { Slice, slice_util, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, type WasmBackendLike } from './kernel-utils.js';
import { kernelError } from './validate.js';
import { copyBox, heapOf } from './copy-box.js';

/**
 * Sum or mean over the leading axes of a float32 tensor (per-channel statistics
 * of an NHWC activation: axes [0, 1, 2]) as one streaming pass. The stock wasm
 * kernels transpose the reduced axes to the end first, a full extra copy.
 * Other axis sets go to the stock kernel.
 */
export function makeReduce(kind: 'sum' | 'mean', fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading || axes.length === 0) {
      if (fallback == null) throw new Error(`@resnet/backend: wasm ${kind} over axes ${axes.join(',')} needs the stock kernel`);
      return fallback(args);
    }
    let outer = 1;
    for (const a of axes) outer *= x.shape[a]!;
    const keptShape = x.shape.slice(axes.length);
    const inner = util.sizeFromShape(keptShape);
    const outShape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : keptShape;
    const out = backend.makeOutput(outShape, 'float32');
    const src = f32(backend, x);
    const dst = f32(backend, out);
    const acc = new Float64Array(inner);
    for (let o = 0, off = 0; o < outer; o++, off += inner) {
      for (let j = 0; j < inner; j++) acc[j] = acc[j]! + src[off + j]!;
    }
    const scale = kind === 'mean' ? 1 / outer : 1;
    for (let j = 0; j < inner; j++) dst[j] = acc[j]! * scale;
    return out;
  };
}

/**
 * `Slice` as block copies of its contiguous runs (copy-box.ts: our kernel, split
 * over the kernel workers). The stock wasm kernel was the slowest part of the
 * ZeroPadding2D gradient, and copies tensors of rank 5 and more (the option-A
 * shortcut's subsampling) element by element in JS.
 */
export function makeSlice(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const x = args.inputs.x as TensorInfo;
    const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
    if (x.dtype === 'string') {
      if (fallback == null) throw new Error('@resnet/backend: wasm Slice of strings needs the stock kernel');
      return fallback(args);
    }
    const [b, s] = slice_util.parseSliceParams(x as never, begin, size) as [number[], number[]];
    if (b.length !== x.shape.length || s.length !== x.shape.length || b.some((v, i) => !(v >= 0 && s[i]! >= 0 && v + s[i]! <= x.shape[i]!))) {
      kernelError(Slice, `begin ${JSON.stringify(begin)} and size ${JSON.stringify(size)} do not lie inside x ${JSON.stringify(x.shape)}`);
    }
    const out = backend.makeOutput(s, x.dtype);
    if (util.sizeFromShape(s) === 0) return out;
    const [heap, xAt] = heapOf(backend, x);
    const strides = [...util.computeStrides(x.shape), 1];
    const start = b.reduce((acc, v, d) => acc + v * strides[d]!, xAt);
    try {
      copyBox(backend, heap, start, strides, heapOf(backend, out)[1], [...util.computeStrides(s), 1], s);
    } catch (err) {
      backend.disposeData(out.dataId);
      throw err;
    }
    return out;
  };
}
