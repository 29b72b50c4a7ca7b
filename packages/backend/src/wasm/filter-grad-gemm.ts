import type { TensorInfo, backend_util } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-utils.js';
import { copyBox, heapOf } from './copy-box.js';
import { simdConv2D } from './conv2d-simd.js';
import { heapOffset, simdKernelOptions, type SimdKernels } from './simd-kernels.js';
import { runRows } from './split.js';

/** Most floats of the gathered input (fh·fw·ci × the output pixels) a filter gradient takes this way (32 MB). */
const MAX_GATHERED_FLOATS = 2 ** 23;

/** Output pixels [first, end) along one axis whose input x·stride + tap − pad lies inside [0, size). */
function inside(out: number, size: number, stride: number, tap: number, pad: number): [number, number] {
  const first = Math.max(0, Math.ceil((pad - tap) / stride));
  return [first, Math.max(first, Math.min(out, Math.floor((size - 1 + pad - tap) / stride) + 1))];
}

/** Fewest input and output channels of a filter gradient by matrix product (see {@link isGemmFilterGrad}). */
const GEMM_MIN_CHANNELS = 64;

/**
 * Whether the filter gradient of `info` goes by a matrix product: the
 * matrix-product kernel on (see {@link SimdKernelOptions.gemm}), at least
 * {@link GEMM_MIN_CHANNELS} input and output channels (output channels a
 * multiple of 4), no dilation, and the gathered input within
 * {@link MAX_GATHERED_FLOATS}. The caller keeps Winograd's layers for
 * Winograd. Measured against the direct kernel (2 threads, 7 Dec 2026): 1.03–3.7×
 * faster on ResNet-18/50's 1×1 and strided 3×3 layers at batch 8 (64 to 2,048
 * channels), 0.42–0.84× on ResNet-20's 16- and 32-channel ones at batch 128,
 * which stay with the direct kernel.
 */
export function isGemmFilterGrad(info: backend_util.Conv2DInfo): boolean {
  const gathered = info.filterHeight * info.filterWidth * info.inChannels * info.batchSize * info.outHeight * info.outWidth;
  return simdKernelOptions().gemm && info.outChannels % 4 === 0 && Math.min(info.inChannels, info.outChannels) >= GEMM_MIN_CHANNELS &&
    info.dilationHeight === 1 && info.dilationWidth === 1 && gathered <= MAX_GATHERED_FLOATS;
}

/**
 * The filter gradient of a convolution as one matrix product,
 * dW[(i, j, c), o] = Σ_p x[pix_ij(p), c] · dy[p, o] over the P = n·ho·wo output
 * pixels: the input each tap (i, j) reads, gathered by the copy kernel into rows
 * (i, j, c) of P floats (zeros where the tap reads padding), times dy ([P, co]
 * as it lies), by the 1×1 convolution's matrix-product kernel, split over the
 * kernel workers by rows. The rows are dW's own layout [fh, fw, ci, co]. The
 * direct filter-gradient kernel streamed dy once per tap and 4 input channels
 * (ResNet-50's 1×1 and strided 3×3 layers at batch 8: about a third of a training step).
 */
export function gemmFilterGrad(backend: WasmBackendLike, simd: SimdKernels, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const pixels = n * ho * wo;
  const rows = fh * fw * ci;
  const gathered = backend.makeOutput([1, rows, 1, pixels], 'float32');
  try {
    const [heap, from] = heapOf(backend, x);
    const to = heapOf(backend, gathered)[1];
    const taps = Array.from({ length: fh * fw }, (_, t) => {
      const [i, j] = [Math.floor(t / fw), t % fw];
      return { i, j, rows: inside(ho, h, sh, i, padInfo.top), cols: inside(wo, w, sw, j, padInfo.left) };
    });
    if (taps.some((t) => t.rows[1] - t.rows[0] < ho || t.cols[1] - t.cols[0] < wo)) {
      const at = heapOffset(backend, gathered);
      runRows(backend, simd, rows * pixels, 1, (k0, k1) => ({ kernel: 'fill_words', args: { dst: at + 4 * k0, n: k1 - k0, bits: 0 } }));
    }
    for (const { i, j, rows: [y0, y1], cols: [x0, x1] } of taps) {
      if (y0 >= y1 || x0 >= x1) continue;
      const src = from + (((y0 * sh + i - padInfo.top) * w) + x0 * sw + j - padInfo.left) * ci;
      const dst = to + (i * fw + j) * ci * pixels + y0 * wo + x0;
      copyBox(backend, heap, src, [1, h * w * ci, sh * w * ci, sw * ci], dst, [pixels, ho * wo, wo, 1], [ci, n, y1 - y0, x1 - x0]);
    }
    const dw = simdConv2D(backend, simd, { x: gathered, filter: { dataId: dy.dataId, shape: [1, 1, pixels, co], dtype: 'float32' } }, {
      outHeight: rows, outWidth: 1, outChannels: co, strideHeight: 1, strideWidth: 1, inputDilationHeight: 1, inputDilationWidth: 1,
      padTop: 0, padLeft: 0, relu: false,
    });
    return { ...dw, shape: [fh, fw, ci, co] };
  } finally {
    backend.disposeData(gathered.dataId);
  }
}
