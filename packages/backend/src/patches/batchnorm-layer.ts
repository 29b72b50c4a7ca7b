// A patch of tfjs-layers, applied by registerWasmTrainingKernels (and so by
// selectBackend('wasm' | 'auto')): it reaches every BatchNormalization layer of
// the process, on every backend, though it changes what runs only on wasm.
// Listed in BackendInfo.patches (see ./applied.ts).
import { dispose, getBackend, getKernel, mul, registerKernel, serialization, sub, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { batchNormTraining, batchNormTrainingKernels, CHANNEL_MOMENTS } from '../wasm/batchnorm-training.js';
import { recordPatch } from './applied.js';

/** What {@link patchBatchNormalizationLayer} lists in `BackendInfo.patches`. */
export const BATCH_NORM_LAYER_PATCH = 'tfjs-layers BatchNormalization.call: training mode on wasm runs fused kernels (every BatchNormalization layer)';

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
  if (proto[PATCHED]) {
    recordPatch(BATCH_NORM_LAYER_PATCH);
    return true;
  }
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
  recordPatch(BATCH_NORM_LAYER_PATCH);
  return true;
}
