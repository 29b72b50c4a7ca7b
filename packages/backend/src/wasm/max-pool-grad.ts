import { MaxPoolGrad, backend_util, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-utils.js';
import { heapOffset, simdKernels } from './simd-kernels.js';
import { runShares } from './simd-threads.js';
import { ELEMENT_WORK, partCount, partition, splitThreads } from './split.js';
import { kernelError } from './validate.js';

/**
 * `MaxPoolGrad` for the wasm backend by our SIMD kernel (csrc/pooling.c), split
 * over the kernel workers by images (or, with fewer images than threads, by
 * blocks of 16 channels). Each output's gradient goes to the first largest
 * input of its window, as on tfjs' cpu backend and in PyTorch (the stock wasm
 * kernel takes the last, and is a single-threaded loop: ResNet-18 at batch 8
 * spent 0.3–0.4 s of a 1.8 s training step in it). Channels not a multiple of
 * 4 or an engine without wasm SIMD go to the stock kernel.
 */
export function makeMaxPoolGrad(fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { dy, input } = args.inputs as Record<string, TensorInfo | undefined>;
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
    if (dy == null || input == null || input.shape.length !== 4) {
      kernelError(MaxPoolGrad, `needs dy and a rank-4 input; got input ${JSON.stringify(input?.shape)}`);
    }
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    if (!util.arraysEqual(dy.shape, info.outShape)) {
      kernelError(MaxPoolGrad, `dy must be shaped ${JSON.stringify(info.outShape)} (the pooled input ${JSON.stringify(input.shape)}); got ${JSON.stringify(dy.shape)}`);
    }
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = info;
    const simd = input.dtype === 'float32' && dy.dtype === 'float32' && c % 4 === 0 ? simdKernels(backend) : null;
    if (simd == null) {
      if (fallback == null) kernelError(MaxPoolGrad, 'no stock kernel on wasm for this case');
      return fallback(args);
    }
    const dx = backend.makeOutput(input.shape, 'float32');
    const threads = splitThreads(backend, ELEMENT_WORK * util.sizeFromShape(input.shape));
    const byImages = threads === 1 || n >= threads;
    const bounds = byImages ? partition(n, threads === 1 ? 1 : partCount(threads, n)) : partition(c, threads, 16);
    const [px, pdy, pdx] = [heapOffset(backend, input), heapOffset(backend, dy), heapOffset(backend, dx)];
    const geometry = { h, w, c, ho, wo, fh: info.effectiveFilterHeight, fw: info.effectiveFilterWidth,
      sh: info.strideHeight, sw: info.strideWidth, pt: info.padInfo.top, pl: info.padInfo.left };
    try {
      runShares(simd, bounds.slice(1).map((end, i) => {
        const start = bounds[i]!;
        if (!byImages) return { kernel: 'max_pool_grad', args: { x: px, dy: pdy, dx: pdx, n, ...geometry, c0: start, c1: end } };
        return { kernel: 'max_pool_grad', args: { x: px + 4 * start * h * w * c, dy: pdy + 4 * start * ho * wo * c, dx: pdx + 4 * start * h * w * c,
          n: end - start, ...geometry, c0: 0, c1: c } };
      }));
    } catch (err) {
      backend.disposeData(dx.dataId);
      throw err;
    }
    return dx;
  };
}
