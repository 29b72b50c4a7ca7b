// A patch of tfjs-layers, applied by registerWasmTrainingKernels (and so by
// selectBackend('wasm' | 'auto')): it reaches every Conv2D layer of the process,
// on every backend, though it changes what runs only on wasm in training mode.
// Listed in BackendInfo.patches (see ./applied.ts).
import { conv2d, getBackend, serialization, tidy, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import { recordPatch } from './applied.js';

/** What {@link patchConv2DLayer} lists in `BackendInfo.patches`. */
export const CONV_LAYER_PATCH =
  'tfjs-layers Conv2D.call: training mode on wasm, without bias or activation, runs conv2d instead of fused.conv2d (every Conv2D layer)';

interface Conv2DLayerLike {
  rank: number;
  dataFormat: string;
  padding: string;
  strides: number[];
  dilationRate: number | number[];
  bias: unknown;
  kernel: { read(): Tensor };
  activation?: { getClassName(): string };
}
const PATCHED = Symbol.for('@resnet/backend.conv2dTraining');

/**
 * Routes tfjs-layers' `Conv2D` (no bias, linear activation, channels last) in
 * training mode, on the wasm backend, through `tf.conv2d`: the same kernel and
 * the same numbers as the `fused.conv2d` tfjs-layers calls, but a gradient
 * that computes only what the backward pass asks for. `fused.conv2d`'s custom
 * gradient computes the input's gradient always, so a network's first layer
 * paid for the gradient of its input images (a ResNet-20 step at batch 128:
 * 15 ms of ~560 on 2 threads). Every other case runs tfjs-layers' own code.
 * Returns false when tfjs-layers is not loaded (its class is found through the
 * serialization registry).
 */
export function patchConv2DLayer(): boolean {
  const entry = serialization.SerializationMap.getMap().classNameMap.Conv2D as unknown as [{ prototype: Record<string | symbol, unknown> }] | undefined;
  const proto = entry?.[0]?.prototype;
  if (proto == null) return false;
  if (!proto[PATCHED]) {
    const original = proto.call as (this: Conv2DLayerLike, inputs: Tensor | Tensor[], kwargs: Record<string, unknown>) => Tensor;
    proto.call = function call(this: Conv2DLayerLike, inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const plain = this.rank === 2 && this.dataFormat === 'channelsLast' && this.bias == null && (this.activation == null || this.activation.getClassName() === 'linear');
      if (kwargs?.training !== true || getBackend() !== 'wasm' || !plain || x.rank !== 4) return original.call(this, inputs, kwargs);
      return tidy(() => conv2d(x as Tensor4D, this.kernel.read() as Tensor4D, this.strides as [number, number], this.padding === 'same' ? 'same' : 'valid', 'NHWC', this.dilationRate as [number, number]));
    };
    proto[PATCHED] = true;
  }
  recordPatch(CONV_LAYER_PATCH);
  return true;
}
