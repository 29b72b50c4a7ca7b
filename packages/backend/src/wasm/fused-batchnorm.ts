import { FusedBatchNorm, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, type WasmBackendLike } from './kernel-utils.js';
import { heapOffset, simdKernels } from './simd-kernels.js';
import { runRows } from './split.js';
import { kernelError } from './validate.js';

/**
 * `FusedBatchNorm` for the wasm backend as one SIMD pass y = x·scale + offset,
 * with scale = γ/√(σ² + ε) and offset = β − μ·scale folded per channel first.
 * Statistics that are not per-channel vectors, channels not a multiple of 4,
 * or an engine without wasm SIMD go to the stock kernel.
 */
export function makeFusedBatchNorm(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined>;
    const eps = (args.attrs as { varianceEpsilon: number }).varianceEpsilon;
    if (x == null || mean == null || variance == null) kernelError(FusedBatchNorm, 'needs inputs x, mean and variance');
    const c = x.shape[x.shape.length - 1] ?? 1;
    const size = util.sizeFromShape(x.shape);
    // The stock kernel cycles through each statistic: any size that divides x's is safe.
    for (const [name, t] of Object.entries({ mean, variance, offset, scale })) {
      const n = t == null ? 1 : util.sizeFromShape(t.shape);
      if (n < 1 || size % n !== 0) {
        kernelError(FusedBatchNorm, `${name} has ${n} values; x ${JSON.stringify(x.shape)} needs ${c} (one per channel), ${size}, or a size that divides ${size}`);
      }
    }
    const perChannel = [mean, variance, offset, scale].every((t) => t == null || (t.dtype === 'float32' && util.sizeFromShape(t.shape) === c));
    const simd = perChannel && x.dtype === 'float32' && c % 4 === 0 ? simdKernels(backend) : null;
    if (simd == null) {
      if (fallback == null) kernelError(FusedBatchNorm, 'no stock kernel on wasm');
      return fallback(args);
    }
    const coef = backend.makeOutput([2 * c], 'float32');
    const y = backend.makeOutput(x.shape, 'float32');
    const k = f32(backend, coef);
    const read = (t: TensorInfo | undefined) => (t == null ? null : f32(backend, t));
    const [mu, va, be, ga] = [mean, variance, offset, scale].map(read);
    for (let j = 0; j < c; j++) {
      const s = (ga?.[j] ?? 1) / Math.sqrt(va![j]! + eps);
      k[j] = s;
      k[c + j] = (be?.[j] ?? 0) - mu![j]! * s;
    }
    const at = heapOffset(backend, coef);
    const [px, py] = [heapOffset(backend, x), heapOffset(backend, y)];
    runRows(backend, simd, size / c, c, (r0, r1) => ({ kernel: 'channel_affine', args: { x: px + 4 * r0 * c, scale: at, offset: at + 4 * c, m: r1 - r0, c, y: py + 4 * r0 * c } }));
    backend.disposeData(coef.dataId);
    return y;
  };
}
