import type { TensorInfo, backend_util } from '@tensorflow/tfjs-core';
import { alignedScratch, disposeAll, f32, type WasmBackendLike } from './kernel-utils.js';
import type { HelperCall } from './kernel-abi.js';
import { heapOffset, simdKernelOptions, type SimdKernels } from './simd-kernels.js';
import { simdHelper } from './simd-threads.js';
import { SPLIT_MIN_MACS, copyToHelper, helperLayout } from './split.js';
import { WINOGRAD_PAD, winogradGroup, winogradTile } from './winograd.js';

/** Byte addresses of one thread's buffers for a filter gradient over some images. */
interface Buffers { x: number; dy: number; dw: number; zeros: number; scratch: number }

/**
 * The filter gradient of a convolution by our SIMD kernels: Winograd for 3×3
 * stride-1 layers (see {@link SimdKernelOptions.winograd}), else the direct
 * per-tap kernel. With the helper thread running, it sums the second half of
 * the batch while this thread sums the first; if the helper does not finish,
 * this thread sums that half too.
 */
export function simdFilterGrad(backend: WasmBackendLike, simd: SimdKernels, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const m = winogradTile(simdKernelOptions().winograd, {
    n, ci, fh, fw, outHeight: ho, outWidth: wo, outChannels: co, strideHeight: sh, strideWidth: sw, inputDilationHeight: 1, inputDilationWidth: 1 });
  const points = (m + 2) ** 2;
  const group = m > 0 ? winogradGroup(points, ci + co, 256) : 0;
  const scratchFloats = m > 0 ? points * (ci * co + group * (ci + co) + 3 * WINOGRAD_PAD) : 0;
  const dwFloats = fh * fw * ci * co;
  /** Images b0..b1 into `b.dw` (x and dy at image b0). */
  const shape = { h, w, ci, ho, wo, co, pt: padInfo.top, pl: padInfo.left };
  const call = (b: Buffers, images: number): HelperCall => m > 0
    ? { kernel: 'winograd_filter_grad', args: { x: b.x, dy: b.dy, dw: b.dw, zeros: b.zeros, scratch: b.scratch, n: images, ...shape, m, G: group } }
    : { kernel: 'conv2d_filter_grad', args: { x: b.x, dy: b.dy, dw: b.dw, n: images, ...shape, fh, fw, sh, sw } };
  const run = (c: HelperCall) => simd.run(c);
  const dw = backend.makeOutput([fh, fw, ci, co], 'float32');
  const zeros = m > 0 ? backend.makeOutput([Math.max(ci, co)], 'float32') : undefined;
  const scratch = m > 0 ? alignedScratch(backend, scratchFloats) : undefined;
  if (zeros != null) f32(backend, zeros).fill(0);
  const at = (t: TensorInfo | undefined) => (t == null ? 0 : heapOffset(backend, t));
  const local: Buffers = { x: at(x), dy: at(dy), dw: at(dw), zeros: at(zeros), scratch: scratch?.at ?? 0 };
  try {
    const helper = n >= 2 && n * ho * wo * dwFloats >= SPLIT_MIN_MACS ? simdHelper() : null;
    if (helper == null) {
      run(call(local, n));
      return dw;
    }
    const split = n >> 1;
    const xImage = h * w * ci;
    const dyImage = ho * wo * co;
    const [hx, hdy, hdw, hz, hs] = helperLayout(helper, [(n - split) * xImage, (n - split) * dyImage, dwFloats, Math.max(ci, co), scratchFloats]) as
      [number, number, number, number, number];
    copyToHelper(backend, helper, x, split * xImage, (n - split) * xImage, hx);
    copyToHelper(backend, helper, dy, split * dyImage, (n - split) * dyImage, hdy);
    helper.f32().fill(0, hz / 4, hz / 4 + Math.max(ci, co));
    helper.start(call({ x: hx, dy: hdy, dw: hdw, zeros: hz, scratch: hs }, n - split), simd.fma);
    const t0 = performance.now();
    let done = false;
    try {
      run(call(local, split));
    } finally {
      done = helper.wait(performance.now() - t0);
    }
    let part: Float32Array;
    if (done) {
      part = helper.f32().subarray(hdw / 4, hdw / 4 + dwFloats);
    } else {
      // The helper is gone: its half of the batch, here, into a temporary.
      const mine = f32(backend, dw).slice();
      run(call({ ...local, x: local.x + 4 * split * xImage, dy: local.dy + 4 * split * dyImage }, n - split));
      part = f32(backend, dw).slice();
      f32(backend, dw).set(mine);
    }
    const sum = f32(backend, dw);
    for (let i = 0; i < dwFloats; i++) sum[i] = sum[i]! + part[i]!;
    return dw;
  } catch (err) {
    backend.disposeData(dw.dataId);
    throw err;
  } finally {
    disposeAll(backend, [zeros, scratch?.info]);
  }
}
