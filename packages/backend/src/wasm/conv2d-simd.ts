import type { TensorInfo } from '@tensorflow/tfjs-core';
import { alignedScratch, disposeAll, f32, type WasmBackendLike } from './kernel-utils.js';
import { cachedFilter, dropCachedFilter } from './filter-cache.js';
import type { KernelCall } from './kernel-abi.js';
import { heapOffset, simdKernelOptions, type SimdKernels } from './simd-kernels.js';
import { runShares } from './simd-threads.js';
import { partCount, partition, splitThreads } from './split.js';
import { keepsFilter, WINOGRAD_PAD, winogradFilterFloats, winogradGroup, winogradTile } from './winograd.js';

/** Geometry of one call of the SIMD convolution (see csrc/training_kernels.c and csrc/winograd.c). */
export interface SimdConvGeometry {
  /** Output height and width. */
  outHeight: number;
  outWidth: number;
  /** Output channels; a multiple of 4. */
  outChannels: number;
  strideHeight: number;
  strideWidth: number;
  /** Input dilation (zeros between input pixels): the stride of the convolution whose input gradient this is. */
  inputDilationHeight: number;
  inputDilationWidth: number;
  /** Padding before the first row and column (may be negative). */
  padTop: number;
  padLeft: number;
  relu: boolean;
}

/** Tensors of one convolution: `bias` per output channel and `residual` (shaped like the output) are optional. */
export interface SimdConvTensors {
  x: TensorInfo;
  filter: TensorInfo;
  bias?: TensorInfo | null;
  residual?: TensorInfo | null;
}

/**
 * How a convolution runs: the direct kernel over output rows, or Winograd
 * F(m×m, 3×3) over rows of m×m tiles ("units" either way, the grain of a split).
 */
interface Plan {
  /** F(m×m, 3×3)'s m, or 0: not Winograd. */
  winograd: number;
  /** A 1×1 convolution by the matrix-product kernel (conv1x1). */
  gemm: boolean;
  unitsPerImage: number;
  rowsPerUnit: number;
  group: number;
  /** Floats of the packed (direct) or transformed (Winograd) filter. */
  filterFloats: number;
  /** Floats of Winograd scratch per thread. */
  scratchFloats: number;
}

/** Everything the kernels need to know of one convolution. */
interface Conv extends SimdConvGeometry {
  n: number; h: number; w: number; ci: number; fh: number; fw: number;
}

/** Floats of a packed or transformed filter from which its packing is split over the threads (256 KB). */
const SPLIT_PACK_FLOATS = 65536;

/** Byte addresses of one call's buffers in tfjs' heap. */
interface Buffers {
  x: number; filter: number; packed: number; bias: number; residual: number; out: number; zeros: number; scratch: number;
}

/** The call computing units u0..u1, output channels o0..o1, with `x` at the first image and `out` at the first row of u0. */
function kernelCall(c: Conv, p: Plan, b: Buffers, u0: number, u1: number, o0: number, o1: number): KernelCall {
  const shape = { h: c.h, w: c.w, ci: c.ci, ho: c.outHeight, wo: c.outWidth, co: c.outChannels, pt: c.padTop, pl: c.padLeft, relu: c.relu ? 1 : 0 };
  const buffers = { in: b.x, f: b.filter, bias: b.bias, res: b.residual, out: b.out, zeros: b.zeros, o0, o1 };
  if (p.winograd > 0) {
    return { kernel: 'winograd_conv2d', args: { ...buffers, ...shape, U: b.packed, scratch: b.scratch, r0: u0, r1: u1, m: p.winograd, G: p.group } };
  }
  if (p.gemm) {
    return { kernel: 'conv1x1', args: { in: b.x, f: b.filter, bias: b.bias, res: b.residual, out: b.out, packed: b.packed, row0: u0, row1: u1, o0, o1,
      h: c.h, w: c.w, ci: c.ci, ho: c.outHeight, wo: c.outWidth, co: c.outChannels, sh: c.strideHeight, sw: c.strideWidth, relu: shape.relu } };
  }
  return { kernel: 'conv2d', args: { ...buffers, ...shape, packed: b.packed, row0: u0, row1: u1, fh: c.fh, fw: c.fw,
    sh: c.strideHeight, sw: c.strideWidth, dh: c.inputDilationHeight, dw: c.inputDilationWidth } };
}

/**
 * Whether `c` is a 1×1 convolution the matrix-product kernel computes: no
 * padding before the input, none after it that an output pixel reads, no input
 * dilation (any stride: a strided one reads every sh-th row and sw-th column).
 */
function isGemm(c: Conv): boolean {
  return simdKernelOptions().gemm && c.fh === 1 && c.fw === 1 && c.padTop === 0 && c.padLeft === 0 &&
    c.inputDilationHeight === 1 && c.inputDilationWidth === 1 &&
    (c.outHeight - 1) * c.strideHeight < c.h && (c.outWidth - 1) * c.strideWidth < c.w;
}

function plan(c: Conv): Plan {
  // Fewer than 4 input channels (an RGB stem): the direct kernel, whose taps of a filter row then run as one loop.
  const m = c.ci >= 4 ? winogradTile(simdKernelOptions().winograd, c) : 0;
  if (m > 0) {
    const points = (m + 2) ** 2;
    const group = winogradGroup(points, c.ci);
    return { winograd: m, unitsPerImage: Math.ceil(c.outHeight / m), rowsPerUnit: m, group,
      filterFloats: winogradFilterFloats(m, c.ci, c.outChannels), scratchFloats: points * (group * (c.ci + 8) + 2 * WINOGRAD_PAD), gemm: false };
  }
  return { winograd: 0, gemm: c.ci >= 4 && isGemm(c), unitsPerImage: c.outHeight, rowsPerUnit: 1, group: 0, filterFloats: c.fh * c.fw * c.ci * c.outChannels, scratchFloats: 0 };
}

/**
 * Runs the SIMD convolution of `t.x` ([n, h, w, ci]) by `t.filter` ([fh, fw,
 * ci, co]), then bias, residual and ReLU; returns the new [n, outHeight,
 * outWidth, co] output (the caller owns it). 3×3 stride-1 convolutions go by
 * Winograd (see {@link SimdKernelOptions.winograd}), the rest by the direct
 * kernel, 1×1 ones by the matrix-product kernel (see {@link SimdKernelOptions.gemm}).
 * With kernel workers running, a large call is split over them and this
 * thread, all on the same tensors: by rows, or by output channels when there
 * are few rows.
 */
export function simdConv2D(backend: WasmBackendLike, simd: SimdKernels, t: SimdConvTensors, g: SimdConvGeometry): TensorInfo {
  const [n, h, w, ci] = t.x.shape as [number, number, number, number];
  const [fh, fw] = t.filter.shape as [number, number];
  const c: Conv = { ...g, n, h, w, ci, fh, fw };
  const p = plan(c);
  const units = n * p.unitsPerImage;
  const split = chooseSplit(units, g.outChannels, splitThreads(backend, n * g.outHeight * g.outWidth * g.outChannels * fh * fw * ci));
  const threads = Math.min(split.threads, split.bounds.length - 1);
  // The transformed filter, kept between calls (Winograd); else the filter packed or transformed for this call only.
  const slot = keepsFilter(p.winograd, ci, g.outChannels) ? cachedFilter(backend, t.filter, `${p.winograd}`, p.filterFloats) : null;
  const packed = slot == null ? alignedScratch(backend, p.filterFloats) : undefined;
  const zeros = backend.makeOutput([ci], 'float32');
  const scratchBytes = 64 * Math.ceil((4 * p.scratchFloats) / 64);
  const scratch = p.scratchFloats > 0 ? alignedScratch(backend, (threads * scratchBytes) / 4) : undefined;
  const out = backend.makeOutput([n, g.outHeight, g.outWidth, g.outChannels], 'float32');
  f32(backend, zeros).fill(0);
  const at = (info: TensorInfo | null | undefined) => (info == null ? 0 : heapOffset(backend, info));
  const local: Buffers = {
    x: at(t.x), filter: slot?.ready ? 0 : at(t.filter), packed: slot?.at ?? packed!.at, bias: at(t.bias), residual: at(t.residual),
    out: at(out), zeros: at(zeros), scratch: scratch?.at ?? 0,
  };
  try {
    if (threads === 1) simd.run(kernelCall(c, p, local, 0, units, 0, g.outChannels));
    else {
      // Row parts all read the whole packed filter: pack it first, by calls of no rows (a large filter in blocks of
      // output channels over the threads). Channel parts pack their own channels.
      if (local.filter !== 0 && split.by === 'units') {
        const blocks = p.filterFloats >= SPLIT_PACK_FLOATS ? partition(g.outChannels, threads, 8) : [0, g.outChannels];
        runShares(simd, blocks.slice(1).map((end, i) => kernelCall(c, p, local, 0, 0, blocks[i]!, end)), scratchBytes);
      }
      const b: Buffers = split.by === 'units' ? { ...local, filter: 0 } : local;
      runShares(simd, split.bounds.slice(1).map((end, i) => {
        const start = split.bounds[i]!;
        return split.by === 'units' ? kernelCall(c, p, atUnit(c, p, b, start), start, end, 0, g.outChannels) : kernelCall(c, p, b, 0, units, start, end);
      }), scratchBytes);
    }
    if (slot != null) slot.ready = true;
  } catch (err) {
    backend.disposeData(out.dataId);
    if (slot != null && !slot.ready) dropCachedFilter(backend, t.filter);
    throw err;
  } finally {
    disposeAll(backend, [zeros, packed?.info, scratch?.info]);
  }
  return out;
}

/** A call's split over `threads`: units (rows, or rows of Winograd tiles) or output channels, in parts at `bounds`. */
interface Split { by: 'units' | 'channels'; threads: number; bounds: number[] }

/**
 * Rows split evenly when there are many or a multiple of the threads (into
 * several parts a thread where each keeps 8 rows or more: see
 * {@link partCount}); a layer of few rows (7 rows of 7 pixels, late in a
 * ResNet-50 at batch 1) splits by output channels (blocks of 8) instead, one
 * part a thread, which balances the work. Exported for tests.
 */
export function chooseSplit(units: number, co: number, threads: number): Split {
  if (threads === 1) return { by: 'units', threads, bounds: [0, units] };
  if (units >= 8 * threads || units % threads === 0) return { by: 'units', threads, bounds: partition(units, partCount(threads, units, 8)) };
  if (co >= 8 * threads) return { by: 'channels', threads, bounds: partition(co, threads, 8) };
  return { by: 'units', threads, bounds: partition(units, Math.min(threads, units)) };
}

/** `b` with `x` at the first image of unit u0 and `out` (and `residual`) at its first row: where a share starting at u0 reads and writes. */
function atUnit(c: Conv, p: Plan, b: Buffers, u0: number): Buffers {
  const firstImage = Math.floor(u0 / p.unitsPerImage);
  const row0 = Math.min(firstImage * c.outHeight + (u0 % p.unitsPerImage) * p.rowsPerUnit, c.n * c.outHeight);
  const skip = 4 * row0 * c.outWidth * c.outChannels;
  return { ...b, x: b.x + 4 * firstImage * c.h * c.w * c.ci, out: b.out + skip, residual: b.residual === 0 ? 0 : b.residual + skip };
}
