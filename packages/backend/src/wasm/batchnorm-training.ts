import { batchNorm, customGrad, engine, keep, util } from '@tensorflow/tfjs-core';
import type { GradSaveFunc, KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-utils.js';
import { heapOffset, simdKernels } from './simd-kernels.js';
import { runShares } from './simd-threads.js';
import { rowParts, runRows } from './split.js';
import { kernelError } from './validate.js';

/** Kernel: per-channel mean and (biased) variance of a channels-last tensor, in one pass. */
export const CHANNEL_MOMENTS = 'ResnetChannelMoments';
/** Kernel: the whole training-mode BatchNorm backward (dx, dgamma, dbeta) in two passes. */
export const BATCH_NORM_TRAINING_GRAD = 'ResnetBatchNormTrainingGrad';

type Backend = WasmBackendLike & { typedArrayFromHeap(info: TensorInfo): Float32Array };

/**
 * Per-channel sums over a channels-last tensor, in float64: Σa and, with `b`,
 * Σa·(b − shift), else Σa². By the SIMD kernel when the channels are a
 * multiple of 4, else in JavaScript.
 */
function channelSums(be: Backend, a: TensorInfo, b?: TensorInfo, shift?: TensorInfo): [Float64Array, Float64Array] {
  const c = a.shape[a.shape.length - 1]!;
  const m = util.sizeFromShape(a.shape) / c;
  const simd = c % 4 === 0 ? simdKernels(be) : null;
  if (simd != null) {
    const bounds = rowParts(be, m, c);
    const parts = bounds.length - 1;
    const scratch = be.makeOutput([4 * c * parts], 'float32'); // 2c doubles a part
    try {
      const at = heapOffset(be, scratch);
      const [pa, pb, ps] = [heapOffset(be, a), b ? heapOffset(be, b) : 0, shift ? heapOffset(be, shift) : 0];
      runShares(simd, bounds.slice(1).map((r1, i) => {
        const skip = 4 * bounds[i]! * c;
        return { kernel: 'channel_sums', args: { a: pa + skip, b: pb === 0 ? 0 : pb + skip, shift: ps, m: r1 - bounds[i]!, c, out: at + 16 * c * i } };
      }));
      const sums = new Float64Array(be.typedArrayFromHeap(scratch).buffer, at, 2 * c).slice();
      for (let i = 1; i < parts; i++) {
        const part = new Float64Array(be.typedArrayFromHeap(scratch).buffer, at + 16 * c * i, 2 * c);
        for (let k = 0; k < 2 * c; k++) sums[k] = sums[k]! + part[k]!;
      }
      return [sums.subarray(0, c), sums.subarray(c)];
    } finally {
      be.disposeData(scratch.dataId);
    }
  }
  const av = be.typedArrayFromHeap(a);
  const bv = b ? be.typedArrayFromHeap(b) : av;
  const mu = shift ? be.typedArrayFromHeap(shift) : new Float32Array(c);
  const s1 = new Float64Array(c);
  const s2 = new Float64Array(c);
  for (let off = 0; off < av.length; off += c) {
    for (let j = 0; j < c; j++) {
      const v = av[off + j]!;
      s1[j] = s1[j]! + v;
      s2[j] = s2[j]! + v * (bv[off + j]! - mu[j]!);
    }
  }
  return [s1, s2];
}

/** Checks that `x` is a float32 tensor of rank ≥ 1 with channels, and that the per-channel `stats` have that many values. */
function checkChannels(kernel: string, x: TensorInfo | undefined, stats: Record<string, TensorInfo | undefined>): void {
  if (x == null || x.shape.length === 0 || x.dtype !== 'float32') kernelError(kernel, `x must be a float32 tensor of rank ≥ 1; got ${x == null ? 'none' : `${x.dtype} ${JSON.stringify(x.shape)}`}`);
  const c = x.shape[x.shape.length - 1]!;
  for (const [name, t] of Object.entries(stats)) {
    if (t == null || util.sizeFromShape(t.shape) !== c || t.dtype !== 'float32') {
      kernelError(kernel, `${name} must hold ${c} float32 values (one per channel of x ${JSON.stringify(x.shape)}); got ${t == null ? 'none' : `${t.dtype} ${JSON.stringify(t.shape)}`}`);
    }
  }
}

const channelMoments: KernelFunc = ({ inputs, backend }) => {
  const b = backend as Backend;
  const x = inputs.x as TensorInfo;
  checkChannels(CHANNEL_MOMENTS, x, {});
  const c = x.shape[x.shape.length - 1]!;
  const [s, q] = channelSums(b, x);
  const m = util.sizeFromShape(x.shape) / c;
  const mean = b.makeOutput([c], 'float32');
  const variance = b.makeOutput([c], 'float32');
  const mv = b.typedArrayFromHeap(mean);
  const vv = b.typedArrayFromHeap(variance);
  for (let j = 0; j < c; j++) {
    const mu = s[j]! / m;
    mv[j] = mu;
    vv[j] = Math.max(q[j]! / m - mu * mu, 0);
  }
  return [mean, variance];
};

const batchNormTrainingGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as Backend;
  const { x, dy, mean, variance, gamma } = inputs as Record<string, TensorInfo>;
  checkChannels(BATCH_NORM_TRAINING_GRAD, x, { mean, variance, gamma });
  if (dy == null || dy.dtype !== 'float32' || !util.arraysEqual(dy.shape, x!.shape)) {
    kernelError(BATCH_NORM_TRAINING_GRAD, `dy must be float32 and shaped like x ${JSON.stringify(x!.shape)}; got ${dy == null ? 'none' : `${dy.dtype} ${JSON.stringify(dy.shape)}`}`);
  }
  const eps = (attrs as { epsilon: number }).epsilon;
  const c = x!.shape[x!.shape.length - 1]!;
  const m = util.sizeFromShape(x!.shape) / c;
  const [sdy, sdyx] = channelSums(b, dy!, x!, mean!);
  const dxInfo = b.makeOutput(x!.shape, 'float32');
  const dgInfo = b.makeOutput([c], 'float32');
  const dbInfo = b.makeOutput([c], 'float32');
  // dx = γ·rstd·(dy − mean(dy) − (x − μ)·rstd²·mean(dy·(x − μ))), coefficients [k | a | μ | bb].
  const coefInfo = b.makeOutput([4 * c], 'float32');
  // Views after every allocation (a heap growth detaches older ones).
  const va = b.typedArrayFromHeap(variance!);
  const ga = b.typedArrayFromHeap(gamma!);
  const mu = b.typedArrayFromHeap(mean!);
  const dg = b.typedArrayFromHeap(dgInfo);
  const db = b.typedArrayFromHeap(dbInfo);
  const coef = b.typedArrayFromHeap(coefInfo);
  for (let j = 0; j < c; j++) {
    const rstd = 1 / Math.sqrt(va[j]! + eps);
    dg[j] = sdyx[j]! * rstd;
    db[j] = sdy[j]!;
    coef[j] = ga[j]! * rstd;
    coef[c + j] = sdy[j]! / m;
    coef[2 * c + j] = mu[j]!;
    coef[3 * c + j] = (rstd * rstd * sdyx[j]!) / m;
  }
  const simd = c % 4 === 0 ? simdKernels(b) : null;
  if (simd != null) {
    const [px, pdy, pk, pdx] = [heapOffset(b, x!), heapOffset(b, dy!), heapOffset(b, coefInfo), heapOffset(b, dxInfo)];
    runRows(b, simd, m, c, (r0, r1) => ({ kernel: 'batch_norm_input_grad', args: { x: px + 4 * r0 * c, dy: pdy + 4 * r0 * c, coef: pk, m: r1 - r0, c, dx: pdx + 4 * r0 * c } }));
  } else {
    const xs = b.typedArrayFromHeap(x!);
    const g = b.typedArrayFromHeap(dy!);
    const dx = b.typedArrayFromHeap(dxInfo);
    for (let off = 0; off < xs.length; off += c) {
      for (let j = 0; j < c; j++) {
        dx[off + j] = coef[j]! * (g[off + j]! - coef[c + j]! - (xs[off + j]! - coef[2 * c + j]!) * coef[3 * c + j]!);
      }
    }
  }
  b.disposeData(coefInfo.dataId);
  return [dxInfo, dgInfo, dbInfo];
};

/** The two fused kernels, for the wasm backend. */
export const batchNormTrainingKernels: KernelConfig[] = [
  { kernelName: CHANNEL_MOMENTS, backendName: 'wasm', kernelFunc: channelMoments },
  { kernelName: BATCH_NORM_TRAINING_GRAD, backendName: 'wasm', kernelFunc: batchNormTrainingGrad },
];

/**
 * Training-mode BatchNorm over all but the last axis as one differentiable op:
 * batch moments in one pass, the normalisation by the backend's FusedBatchNorm,
 * and a backward that yields dx (through the batch statistics), dγ and dβ in
 * two passes. tfjs-layers composes the same thing from moments, batchNorm and
 * ~20 full-size gradient ops. Returns [normed, mean, variance]; the caller
 * disposes mean and variance. Needs the wasm kernels above.
 */
export function batchNormTraining(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): [Tensor, Tensor, Tensor] {
  let stats: Tensor[] = [];
  const op = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const [xi, g, bt] = args as [Tensor, Tensor, Tensor];
    const save = args[3] as GradSaveFunc;
    const [mean, variance] = engine().runKernel(CHANNEL_MOMENTS, { x: xi }, {}) as unknown as [Tensor, Tensor];
    save([xi, g, mean, variance]);
    stats = [keep(mean.clone()), keep(variance.clone())];
    return {
      value: batchNorm(xi, mean, variance, bt, g, epsilon),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sx, sg, sm, sv] = saved as [Tensor, Tensor, Tensor, Tensor];
        return engine().runKernel(BATCH_NORM_TRAINING_GRAD, { x: sx, dy, mean: sm, variance: sv, gamma: sg }, { epsilon }) as unknown as Tensor[];
      },
    };
  });
  const normed = op(x, gamma, beta);
  return [normed, stats[0]!, stats[1]!];
}
