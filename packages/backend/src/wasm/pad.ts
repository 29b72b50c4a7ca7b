import { util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-utils.js';
import { copyBox, heapOf } from './copy-box.js';
import { simdKernels } from './simd-kernels.js';
import { runRows } from './split.js';

/**
 * `PadV2` (constant padding) of float32 and int32 tensors for the wasm
 * backend: the output filled with the constant, then the input copied into it
 * as a box (csrc/copy.c's fill_words, then copy-box.ts), each split over the
 * kernel workers. tfjs' own
 * kernel runs on one thread: in a ResNet-20 training step, the option-A
 * shortcuts' channel padding and their subsampling's gradient. Other dtypes,
 * and everything with our kernels off, go to `stock`.
 */
export function makePad(stock: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const x = args.inputs.x as TensorInfo;
    const { paddings, constantValue } = args.attrs as unknown as { paddings: Array<[number, number]>; constantValue: number };
    const simd = simdKernels(backend);
    const ours = (x.dtype === 'float32' || x.dtype === 'int32') && paddings.length === x.shape.length &&
      paddings.every(([a, b]) => Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0) && simd != null;
    if (!ours) {
      if (stock == null) throw new Error('@resnet/backend: no stock wasm kernel for PadV2');
      return stock(args);
    }
    const shape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
    const out = backend.makeOutput(shape, x.dtype);
    const size = util.sizeFromShape(shape);
    if (size === 0) return out;
    try {
      const [heap, at] = heapOf(backend, out);
      // The constant as the 4-byte word the output holds (an int32 tensor's value rounds as tfjs' typed arrays do).
      const word = new (heap.constructor as Float32ArrayConstructor)([constantValue]);
      const bits = new Int32Array(word.buffer)[0]!;
      runRows(backend, simd, size, 1, (i0, i1) => ({ kernel: 'fill_words', args: { dst: 4 * (at + i0), n: i1 - i0, bits } }));
      const strides = [...util.computeStrides(shape), 1];
      const corner = paddings.reduce((acc, [before], d) => acc + before * strides[d]!, at);
      copyBox(backend, heap, heapOf(backend, x)[1], [...util.computeStrides(x.shape), 1], corner, strides, x.shape);
    } catch (err) {
      backend.disposeData(out.dataId);
      throw err;
    }
    return out;
  };
}
