import { customGrad, dispose, engine, getBackend, keep, mul, registerKernel, serialization, sub, tidy, batchNorm, getKernel } from '@tensorflow/tfjs-core';
import type { GradSaveFunc, KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-utils.js';

/** Kernel: per-channel mean and (biased) variance of a channels-last tensor, in one pass. */
export const CHANNEL_MOMENTS = 'ResnetChannelMoments';
/** Kernel: the whole training-mode BatchNorm backward (dx, dgamma, dbeta) in two passes. */
export const BATCH_NORM_TRAINING_GRAD = 'ResnetBatchNormTrainingGrad';

type Backend = WasmBackendLike & { typedArrayFromHeap(info: TensorInfo): Float32Array };

const channelMoments: KernelFunc = ({ inputs, backend }) => {
  const b = backend as Backend;
  const x = inputs.x as TensorInfo;
  const c = x.shape[x.shape.length - 1]!;
  const mean = b.makeOutput([c], 'float32');
  const variance = b.makeOutput([c], 'float32');
  const src = b.typedArrayFromHeap(x);
  const s = new Float64Array(c);
  const q = new Float64Array(c);
  for (let off = 0; off < src.length; off += c) {
    for (let j = 0; j < c; j++) {
      const v = src[off + j]!;
      s[j] = s[j]! + v;
      q[j] = q[j]! + v * v;
    }
  }
  const m = src.length / c;
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
  const eps = (attrs as { epsilon: number }).epsilon;
  const c = x!.shape[x!.shape.length - 1]!;
  const dxInfo = b.makeOutput(x!.shape, 'float32');
  const dgInfo = b.makeOutput([c], 'float32');
  const dbInfo = b.makeOutput([c], 'float32');
  // Views after every allocation (a heap growth detaches older ones).
  const xs = b.typedArrayFromHeap(x!);
  const g = b.typedArrayFromHeap(dy!);
  const mu = b.typedArrayFromHeap(mean!);
  const va = b.typedArrayFromHeap(variance!);
  const ga = b.typedArrayFromHeap(gamma!);
  const dx = b.typedArrayFromHeap(dxInfo);
  const sdy = new Float64Array(c);
  const sdyx = new Float64Array(c);
  for (let off = 0; off < xs.length; off += c) {
    for (let j = 0; j < c; j++) {
      const d = g[off + j]!;
      sdy[j] = sdy[j]! + d;
      sdyx[j] = sdyx[j]! + d * (xs[off + j]! - mu[j]!);
    }
  }
  const m = xs.length / c;
  const k = new Float32Array(c);
  const a = new Float32Array(c);
  const bb = new Float32Array(c);
  const mf = new Float32Array(c);
  const dg = b.typedArrayFromHeap(dgInfo);
  const db = b.typedArrayFromHeap(dbInfo);
  for (let j = 0; j < c; j++) {
    const rstd = 1 / Math.sqrt(va[j]! + eps);
    dg[j] = sdyx[j]! * rstd;
    db[j] = sdy[j]!;
    k[j] = ga[j]! * rstd;
    a[j] = sdy[j]! / m;
    bb[j] = (rstd * rstd * sdyx[j]!) / m;
    mf[j] = mu[j]!;
  }
  // dx = γ·rstd·(dy − mean(dy) − (x − μ)·rstd²·mean(dy·(x − μ)))
  for (let off = 0; off < xs.length; off += c) {
    for (let j = 0; j < c; j++) dx[off + j] = k[j]! * (g[off + j]! - a[j]! - (xs[off + j]! - mf[j]!) * bb[j]!);
  }
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

interface BatchNormLayerLike {
  axis: number;
  center: boolean;
  scale: boolean;
  epsilon: number;
  momentum: number;
  gamma: { read(): Tensor };
  beta: { read(): Tensor };
  movingMean: { read(): Tensor; write(t: Tensor): void };
  movingVariance: { read(): Tensor; write(t: Tensor): void };
}
const PATCHED = Symbol.for('@resnet/backend.batchNormTraining');

/**
 * Routes tfjs-layers' `BatchNormalization` in training mode, on the wasm backend,
 * through {@link batchNormTraining}; every other case (inference, other backends,
 * a non-last axis, no centre/scale) runs tfjs-layers' own code. The moving
 * averages are updated exactly as tfjs-layers does. Returns false when
 * tfjs-layers is not loaded (its class is found through the serialization registry).
 */
export function patchBatchNormalizationLayer(): boolean {
  if (getKernel(CHANNEL_MOMENTS, 'wasm') == null) batchNormTrainingKernels.forEach((k) => registerKernel(k));
  const entry = serialization.SerializationMap.getMap().classNameMap.BatchNormalization as unknown as [{ prototype: Record<string | symbol, unknown> }] | undefined;
  const proto = entry?.[0]?.prototype;
  if (proto == null) return false;
  if (proto[PATCHED]) return true;
  const original = proto.call as (this: BatchNormLayerLike, inputs: Tensor | Tensor[], kwargs: Record<string, unknown>) => Tensor;
  proto.call = function call(this: BatchNormLayerLike, inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor {
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    const axis = this.axis >= 0 ? this.axis : this.axis + input.rank;
    if (kwargs?.training !== true || getBackend() !== 'wasm' || axis !== input.rank - 1 || !this.center || !this.scale || input.dtype !== 'float32') {
      return original.call(this, inputs, kwargs);
    }
    return tidy(() => {
      const [normed, mean, variance] = batchNormTraining(input, this.gamma.read(), this.beta.read(), this.epsilon);
      for (const [v, value] of [[this.movingMean, mean], [this.movingVariance, variance]] as const) {
        tidy(() => {
          const old = v.read();
          v.write(sub(old, mul(sub(old, value), 1 - this.momentum)));
        });
      }
      dispose([mean, variance]);
      return normed;
    });
  };
  proto[PATCHED] = true;
  return true;
}
