import { Tile } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-utils.js';
import { kernelError } from './validate.js';

interface RefCounted extends WasmBackendLike {
  incRef(dataId: object): void;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * `Identity` that shares the input's buffer (reference-counted, as the cpu
 * backend does) instead of copying it. The engine clones every tensor it saves
 * for the backward pass, so the stock copying kernel moved about 600 full
 * activations per ResNet-20 step. tfjs tensors are immutable, so sharing is safe.
 */
export function makeIdentity(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string' && fallback != null) return fallback(args);
    (args.backend as RefCounted).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** `Cast` that shares the buffer when the dtype does not change (the stock kernel copies). */
export function makeCast(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const dtype = (args.attrs as { dtype: string }).dtype;
    if (dtype === x.dtype && dtype !== 'string') {
      (args.backend as RefCounted).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }
    if (fallback == null) throw new Error(`@resnet/backend: no wasm Cast kernel for ${x.dtype} → ${dtype}`);
    return fallback(args);
  };
}

/**
 * `Tile` by block copies: each axis, innermost first, writes one period and
 * then doubles it with `copyWithin` (memmove speed). The BatchNorm gradient
 * tiles a per-channel vector to a full activation, which the stock wasm kernel
 * does element by element.
 */
export function makeTile(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const backend = args.backend as RefCounted;
    const x = args.inputs.x as TensorInfo;
    const reps = (args.attrs as { reps: number[] }).reps;
    if (x.dtype === 'string' || x.shape.length === 0) {
      if (fallback == null) throw new Error('@resnet/backend: wasm Tile of strings or scalars needs the stock kernel');
      return fallback(args);
    }
    const rank = x.shape.length;
    if (!Array.isArray(reps) || reps.length !== rank || !reps.every((r) => Number.isInteger(r) && r >= 0)) {
      kernelError(Tile, `reps must be ${rank} non-negative integers (one per axis of x ${JSON.stringify(x.shape)}); got ${JSON.stringify(reps)}`);
    }
    const outShape = x.shape.map((d, i) => d * reps[i]!);
    const out = backend.makeOutput(outShape, x.dtype);
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    if (dst.length === 0) return out;
    const inStride = new Array<number>(rank);
    const outStride = new Array<number>(rank);
    inStride[rank - 1] = 1;
    outStride[rank - 1] = 1;
    for (let d = rank - 2; d >= 0; d--) {
      inStride[d] = inStride[d + 1]! * x.shape[d + 1]!;
      outStride[d] = outStride[d + 1]! * outShape[d + 1]!;
    }
    // Writes the sub-tensor of axes d.. at outOff from the input sub-tensor at inOff.
    const fill = (d: number, inOff: number, outOff: number): void => {
      const n = x.shape[d]!;
      const period = n * outStride[d]!;
      if (d === rank - 1) {
        (dst as Float32Array).set((src as Float32Array).subarray(inOff, inOff + n), outOff);
      } else {
        for (let i = 0; i < n; i++) fill(d + 1, inOff + i * inStride[d]!, outOff + i * outStride[d]!);
      }
      const total = period * reps[d]!;
      for (let have = period; have < total; have *= 2) {
        dst.copyWithin(outOff + have, outOff, outOff + Math.min(have, total - have));
      }
    };
    fill(0, 0, 0);
    return out;
  };
}
