import { util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-utils.js';
import { heapOffset, simdKernels } from './simd-kernels.js';
import { ELEMENT_WORK, runRows, splitThreads } from './split.js';

// tfjs' large element-wise ops (a training step's residual additions and ReLUs,
// the optimizer's updates of large weights) split over the kernel workers by
// our element-wise kernels (csrc/elementwise.c). Only float32 tensors of one
// shape (or a scalar second operand), and only when the pool would split them:
// the rest, and everything on one thread, stays with the stock kernel.

/** The binary ops ours compute, by their `op` code in csrc/elementwise.c. */
export const OPS = { add: 0, sub: 1, mul: 2 } as const;

/** Whether a tensor of `n` floats is split on `backend` (our kernels on, workers running, large enough). */
function splits(backend: WasmBackendLike, n: number): boolean {
  return splitThreads(backend, ELEMENT_WORK * n) > 1 && simdKernels(backend) != null;
}

/** `Add`, `Sub` or `Multiply` for the wasm backend: ours where it splits, else `stock`. */
export function makeBinary(op: keyof typeof OPS, stock: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { a, b } = args.inputs as Record<string, TensorInfo | undefined>;
    const n = a == null ? 0 : util.sizeFromShape(a.shape);
    const scalar = b != null && util.sizeFromShape(b.shape) === 1 && b.shape.length <= a!.shape.length;
    const ours = a != null && b != null && a.dtype === 'float32' && b.dtype === 'float32' &&
      (scalar || util.arraysEqual(a.shape, b.shape)) && splits(backend, n);
    if (!ours) {
      if (stock == null) throw new Error(`@resnet/backend: no stock wasm kernel for ${op}`);
      return stock(args);
    }
    const simd = simdKernels(backend)!;
    const out = backend.makeOutput(a.shape, 'float32');
    const [pa, pb, po] = [heapOffset(backend, a), heapOffset(backend, b), heapOffset(backend, out)];
    try {
      runRows(backend, simd, n, 1, (i0, i1) => ({ kernel: 'binary_op', args: {
        a: pa + 4 * i0, b: scalar ? pb : pb + 4 * i0, out: po + 4 * i0, n: i1 - i0, b_scalar: scalar ? 1 : 0, op: OPS[op] } }));
    } catch (err) {
      backend.disposeData(out.dataId);
      throw err;
    }
    return out;
  };
}

/** `Relu` for the wasm backend: ours where it splits, else `stock`. */
export function makeRelu(stock: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { x } = args.inputs as Record<string, TensorInfo | undefined>;
    const n = x == null ? 0 : util.sizeFromShape(x.shape);
    if (x == null || x.dtype !== 'float32' || !splits(backend, n)) {
      if (stock == null) throw new Error('@resnet/backend: no stock wasm kernel for Relu');
      return stock(args);
    }
    const simd = simdKernels(backend)!;
    const out = backend.makeOutput(x.shape, 'float32');
    const [px, py] = [heapOffset(backend, x), heapOffset(backend, out)];
    try {
      runRows(backend, simd, n, 1, (i0, i1) => ({ kernel: 'relu', args: { x: px + 4 * i0, y: py + 4 * i0, n: i1 - i0 } }));
    } catch (err) {
      backend.disposeData(out.dataId);
      throw err;
    }
    return out;
  };
}
