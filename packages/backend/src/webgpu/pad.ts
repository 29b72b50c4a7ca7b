import { Reshape } from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeAll, runWebgpuKernel, type WebgpuBackendLike } from './kernel-utils.js';

/**
 * `PadV2` for tensors of rank 5 and 6, which tfjs-backend-webgpu 4.22 turns into
 * WGSL that does not compile (it indexes a `vec5`/`vec6`, types WGSL lacks): the
 * pipeline is invalid and the output garbage (NaN losses). The gradient of a
 * rank-6 slice is such a pad, and the zero-pad (option A) shortcut subsamples
 * through one. Each padded axis is padded in turn on a rank-3 view
 * `[outer, axis, inner]`, which the stock kernel handles; ranks up to 4 go to
 * the stock kernel as they are.
 */
export function makePadV2(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.shape.length <= 4) return stock(args);
    const backend = args.backend as unknown as WebgpuBackendLike;
    const { paddings, constantValue } = args.attrs as NamedAttrMap & { paddings: Array<[number, number]>; constantValue: number };
    const shape = x.shape.slice();
    const temps: TensorInfo[] = [];
    try {
      let current = x;
      shape.forEach((size, axis) => {
        const [before, after] = paddings[axis]!;
        if (before === 0 && after === 0) return;
        const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
        const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
        // Reshape shares the buffer (one more reference), as on every backend.
        const view = runWebgpuKernel(Reshape, backend, { x: current }, { shape: [outer, size, inner] });
        temps.push(view);
        current = stock({ ...args, inputs: { x: view }, attrs: { paddings: [[0, 0], [before, after], [0, 0]], constantValue } }) as TensorInfo;
        temps.push(current);
        shape[axis] = size + before + after;
      });
      return runWebgpuKernel(Reshape, backend, { x: current }, { shape });
    } finally {
      disposeAll(backend, temps);
    }
  };
}
