import type { TensorInfo } from '@tensorflow/tfjs-core';
import { alignedScratch, disposeAll, f32, type WasmBackendLike } from './kernel-utils.js';
import { cachedFilter, cachedHelperFilter, dropCachedFilter } from './filter-cache.js';
import type { HelperCall } from './kernel-abi.js';
import { heapOffset, simdKernelOptions, type SimdKernels } from './simd-kernels.js';
import { simdHelper, type SimdHelper } from './simd-threads.js';
import { SPLIT_MIN_MACS, copyFromHelper, copyToHelper, helperLayout } from './split.js';
import { WINOGRAD_PAD, winogradFilterFloats, winogradGroup, winogradTile } from './winograd.js';

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

/** Byte addresses of one thread's buffers (its memory: tfjs' heap or the helper's). */
interface Buffers {
  x: number; filter: number; packed: number; bias: number; residual: number; out: number; zeros: number; scratch: number;
}

/** The call computing units u0..u1, output channels o0..o1, with `x` at the first image and `out` at the first row of u0. */
function kernelCall(c: Conv, p: Plan, b: Buffers, u0: number, u1: number, o0: number, o1: number): HelperCall {
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

function run(simd: SimdKernels, call: HelperCall): void {
  simd.run(call);
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
  const m = winogradTile(simdKernelOptions().winograd, c);
  if (m > 0) {
    const points = (m + 2) ** 2;
    const group = winogradGroup(points, c.ci);
    return { winograd: m, unitsPerImage: Math.ceil(c.outHeight / m), rowsPerUnit: m, group,
      filterFloats: winogradFilterFloats(m, c.ci, c.outChannels), scratchFloats: points * (group * (c.ci + 8) + 2 * WINOGRAD_PAD), gemm: false };
  }
  return { winograd: 0, gemm: isGemm(c), unitsPerImage: c.outHeight, rowsPerUnit: 1, group: 0, filterFloats: c.fh * c.fw * c.ci * c.outChannels, scratchFloats: 0 };
}

/**
 * Runs the SIMD convolution of `t.x` ([n, h, w, ci]) by `t.filter` ([fh, fw,
 * ci, co]), then bias, residual and ReLU; returns the new [n, outHeight,
 * outWidth, co] output (the caller owns it). 3×3 stride-1 convolutions go by
 * Winograd (see {@link SimdKernelOptions.winograd}), the rest by the direct
 * kernel, 1×1 ones by the matrix-product kernel (see {@link SimdKernelOptions.gemm}). With the helper thread running, large ones are split between it and
 * this thread: by rows, or by output channels when there are few rows.
 */
export function simdConv2D(backend: WasmBackendLike, simd: SimdKernels, t: SimdConvTensors, g: SimdConvGeometry): TensorInfo {
  const [n, h, w, ci] = t.x.shape as [number, number, number, number];
  const [fh, fw] = t.filter.shape as [number, number];
  const c: Conv = { ...g, n, h, w, ci, fh, fw };
  const p = plan(c);
  const units = n * p.unitsPerImage;
  const macs = n * g.outHeight * g.outWidth * g.outChannels * fh * fw * ci;
  const helper = macs >= SPLIT_MIN_MACS ? simdHelper() : null;
  const split = helper == null ? null : chooseSplit(units, g.outChannels);
  // This thread's output channels, and its packed filter: kept between calls, or for this call only.
  const mine = split?.by === 'channels' ? split.at : g.outChannels;
  const slot = cachedFilter(backend, t.filter, `${p.winograd}:0-${mine}`, p.filterFloats);
  const packed = slot == null ? alignedScratch(backend, p.filterFloats) : undefined;
  const zeros = backend.makeOutput([ci], 'float32');
  const scratch = p.scratchFloats > 0 ? alignedScratch(backend, p.scratchFloats) : undefined;
  const out = backend.makeOutput([n, g.outHeight, g.outWidth, g.outChannels], 'float32');
  f32(backend, zeros).fill(0);
  const at = (info: TensorInfo | null | undefined) => (info == null ? 0 : heapOffset(backend, info));
  const local: Buffers = {
    x: at(t.x), filter: slot?.ready ? 0 : at(t.filter), packed: slot?.at ?? packed!.at, bias: at(t.bias), residual: at(t.residual),
    out: at(out), zeros: at(zeros), scratch: scratch?.at ?? 0,
  };
  try {
    if (helper == null || split == null) run(simd, kernelCall(c, p, local, 0, units, 0, g.outChannels));
    else runSplit(backend, simd, helper, c, p, t, out, local, split);
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

/** Units [0, at) here and [at, units) on the helper; or output channels [0, at) here and [at, co) there. */
type Split = { by: 'units' | 'channels'; at: number };

/**
 * Rows split evenly when there are many or an even number; a layer of few,
 * odd rows (7 rows of 7 pixels, late in a ResNet-50 at batch 1) splits by output
 * channels instead, which costs the helper the whole input but balances the work.
 */
function chooseSplit(units: number, co: number): Split | null {
  if (units >= 16 || (units >= 2 && units % 2 === 0)) return { by: 'units', at: units >> 1 };
  if (co >= 16) return { by: 'channels', at: 8 * Math.round(co / 16) };
  return units >= 2 ? { by: 'units', at: units >> 1 } : null;
}

/** The kernel call split between this thread and the helper, which gets copies of its inputs. */
function runSplit(backend: WasmBackendLike, simd: SimdKernels, helper: SimdHelper, c: Conv, p: Plan, t: SimdConvTensors,
  out: TensorInfo, local: Buffers, split: Split): void {
  const { n, ci, outHeight: ho, outChannels: co } = c;
  const units = n * p.unitsPerImage;
  const image = c.h * c.w * ci;
  const rowFloats = c.outWidth * co;
  const [u0, o0] = split.by === 'units' ? [split.at, 0] : [0, split.at];
  const firstImage = Math.floor(u0 / p.unitsPerImage);
  // The helper's output starts at the first row of unit u0.
  const row0 = Math.min(firstImage * ho + (u0 % p.unitsPerImage) * p.rowsPerUnit, n * ho);
  const outFloats = (n * ho - row0) * rowFloats;
  const slot = cachedHelperFilter(helper, t.filter, `${p.winograd}:${o0}-${co}`, p.filterFloats);
  const filterFloats = slot?.ready ? 0 : c.fh * c.fw * ci * co;
  const [hx, hf, hp, hb, hr, hout, hz, hs] = helperLayout(helper, [
    (n - firstImage) * image, filterFloats, slot == null ? p.filterFloats : 0, co, t.residual != null ? outFloats : 0, outFloats, ci, p.scratchFloats,
  ]) as [number, number, number, number, number, number, number, number];
  copyToHelper(backend, helper, t.x, firstImage * image, (n - firstImage) * image, hx);
  if (filterFloats > 0) copyToHelper(backend, helper, t.filter, 0, filterFloats, hf);
  if (t.bias != null) copyToHelper(backend, helper, t.bias, 0, co, hb);
  if (t.residual != null) copyToHelper(backend, helper, t.residual, row0 * rowFloats, outFloats, hr);
  helper.f32().fill(0, hz / 4, hz / 4 + ci);
  const remote: Buffers = { x: hx, filter: filterFloats > 0 ? hf : 0, packed: slot?.at ?? hp, bias: t.bias != null ? hb : 0, residual: t.residual != null ? hr : 0, out: hout, zeros: hz, scratch: hs };
  helper.start(kernelCall(c, p, remote, u0, units, o0, co), simd.fma);
  const t0 = performance.now();
  let done = false;
  try {
    run(simd, split.by === 'units' ? kernelCall(c, p, local, 0, u0, 0, co) : kernelCall(c, p, local, 0, units, 0, o0));
  } finally {
    done = helper.wait(performance.now() - t0);
  }
  if (!done) {
    // The helper is gone: its share, here, straight into the output (packing its channels into this thread's buffer).
    const skip = 4 * row0 * rowFloats;
    run(simd, kernelCall(c, p, { ...local, filter: heapOffset(backend, t.filter), x: local.x + 4 * firstImage * image, out: local.out + skip,
      residual: local.residual === 0 ? 0 : local.residual + skip }, u0, units, o0, co));
    return;
  }
  if (slot != null) slot.ready = true;
  if (split.by === 'units') {
    copyFromHelper(backend, helper, hout, outFloats, out, row0 * rowFloats);
  } else {
    const dst = f32(backend, out);
    const src = helper.f32();
    for (let px = 0, s = hout / 4 + o0, d = o0; px < n * ho * c.outWidth; px++, s += co, d += co) dst.set(src.subarray(s, s + co - o0), d);
  }
}
