import type { TensorInfo, backend_util } from '@tensorflow/tfjs-core';
import { alignedScratch, disposeAll, f32, type WasmBackendLike } from './kernel-utils.js';
import type { KernelCall } from './kernel-abi.js';
import { heapOffset, simdKernelOptions, type SimdKernels } from './simd-kernels.js';
import { runShares } from './simd-threads.js';
import { OPS } from './elementwise.js';
import { partCount, partition, runRows, splitThreads } from './split.js';
import { filterGradGroup, WINOGRAD_PAD, winogradTile } from './winograd.js';
import { gemmFilterGrad, isGemmFilterGrad } from './filter-grad-gemm.js';

/** Most bytes of the partial filter gradients of a call's parts beyond the first (see partCount). */
const MAX_PART_SUM_BYTES = 16 * 2 ** 20;

/** Byte addresses of one part's buffers for a filter gradient over some images. */
interface Buffers { x: number; dy: number; dw: number; zeros: number; scratch: number }

/**
 * The filter gradient of a convolution by our SIMD kernels: Winograd for 3×3
 * stride-1 layers (see {@link SimdKernelOptions.winograd}), else a matrix
 * product where {@link isGemmFilterGrad} says so, else the direct per-tap
 * kernel. With kernel workers running, the batch is cut into parts that the
 * threads take in turn; each part's gradient is summed, in place on
 * tfjs' tensors, into a buffer of its own, and the element-wise add sums them.
 */
export function simdFilterGrad(backend: WasmBackendLike, simd: SimdKernels, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const m = winogradTile(simdKernelOptions().winograd, {
    n, ci, fh, fw, outHeight: ho, outWidth: wo, outChannels: co, strideHeight: sh, strideWidth: sw, inputDilationHeight: 1, inputDilationWidth: 1 });
  if (m === 0 && isGemmFilterGrad(info)) return gemmFilterGrad(backend, simd, x, dy, info);
  const points = (m + 2) ** 2;
  const group = m > 0 ? filterGradGroup(points, ci, co) : 0;
  const scratchFloats = m > 0 ? points * (ci * co + group * (ci + co) + 3 * WINOGRAD_PAD) : 0;
  const dwFloats = fh * fw * ci * co;
  /** Images b0..b1 into `b.dw` (x and dy at image b0). */
  const shape = { h, w, ci, ho, wo, co, pt: padInfo.top, pl: padInfo.left };
  const call = (b: Buffers, images: number): KernelCall => m > 0
    ? { kernel: 'winograd_filter_grad', args: { x: b.x, dy: b.dy, dw: b.dw, zeros: b.zeros, scratch: b.scratch, n: images, ...shape, m, G: group } }
    : { kernel: 'conv2d_filter_grad', args: { x: b.x, dy: b.dy, dw: b.dw, n: images, ...shape, fh, fw, sh, sw } };
  const threads = n >= 2 ? Math.min(n, splitThreads(backend, n * ho * wo * dwFloats)) : 1;
  const partBytes = 4 * Math.ceil(dwFloats / 16) * 16;
  // Parts of the batch, each summed into a dw of its own (the first into the output, the others into `sums`, added after):
  // several a thread where their dws take at most MAX_PART_SUM_BYTES.
  const partsCount = threads === 1 ? 1 : Math.max(threads, Math.min(partCount(threads, n), 1 + Math.floor(MAX_PART_SUM_BYTES / partBytes)));
  const bounds = partition(n, partsCount);
  const scratchBytes = 64 * Math.ceil((4 * scratchFloats) / 64);
  const dw = backend.makeOutput([fh, fw, ci, co], 'float32');
  const sums = partsCount > 1 ? alignedScratch(backend, ((partsCount - 1) * partBytes) / 4) : undefined;
  const zeros = m > 0 ? backend.makeOutput([Math.max(ci, co)], 'float32') : undefined;
  const scratch = m > 0 ? alignedScratch(backend, (threads * scratchBytes) / 4) : undefined;
  if (zeros != null) f32(backend, zeros).fill(0);
  const at = (t: TensorInfo | undefined) => (t == null ? 0 : heapOffset(backend, t));
  const xImage = 4 * h * w * ci;
  const dyImage = 4 * ho * wo * co;
  try {
    runShares(simd, bounds.slice(1).map((end, i) => call({
      x: at(x) + bounds[i]! * xImage, dy: at(dy) + bounds[i]! * dyImage, dw: i === 0 ? at(dw) : sums!.at + (i - 1) * partBytes,
      zeros: at(zeros), scratch: scratch?.at ?? 0,
    }, end - bounds[i]!)), scratchBytes);
    // dw += each other part's sum, by the element-wise add (float32 additions in the same order as before).
    for (let i = 1; i < partsCount; i++) {
      const part = sums!.at + (i - 1) * partBytes;
      runRows(backend, simd, dwFloats, 1, (k0, k1) => ({ kernel: 'binary_op', args: {
        a: at(dw) + 4 * k0, b: part + 4 * k0, out: at(dw) + 4 * k0, n: k1 - k0, b_scalar: 0, op: OPS.add } }));
    }
    return dw;
  } catch (err) {
    backend.disposeData(dw.dataId);
    throw err;
  } finally {
    disposeAll(backend, [zeros, scratch?.info, sums?.info]);
  }
}
