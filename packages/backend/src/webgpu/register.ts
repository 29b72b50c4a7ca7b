import {
  DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput, PadV2, getKernel, registerKernel, unregisterKernel,
} from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { makeDepthwiseBackprop } from './depthwise-dilation.js';
import { makePadV2 } from './pad.js';

const MARK = Symbol.for('@resnet/backend.webgpuKernel');
type Marked = KernelConfig & { [MARK]?: true };

/** Stock webgpu kernels we wrap, each by a function of the stock kernel, which handles what ours does not. */
const REPLACEMENTS: ReadonlyArray<readonly [string, (stock: KernelFunc) => KernelFunc]> = [
  [PadV2, makePadV2],
  [DepthwiseConv2dNativeBackpropInput, makeDepthwiseBackprop('input')],
  [DepthwiseConv2dNativeBackpropFilter, makeDepthwiseBackprop('filter')],
];

/** The kernels {@link registerWebgpuTrainingKernels} installs, by kernel name. */
export const WEBGPU_TRAINING_KERNELS: readonly string[] = REPLACEMENTS.map(([name]) => name);

/**
 * Installs our fixes for tfjs-backend-webgpu 4.22 kernels that give wrong
 * results: `PadV2` of rank 5 and 6 (the gradient of the zero-pad shortcut's
 * subsampling: a training step of the CIFAR ResNets needs it) and the two
 * depthwise convolution gradients with dilation (which ignore it). Every other
 * kernel a training step of the zoo's ResNets, DenseNets and the transformer
 * sublayers runs matches the cpu backend (see the tests).
 *
 * Idempotent, and it repairs a second import of the webgpu backend (which
 * re-registers the stock kernels over ours). `selectBackend('webgpu')` calls it.
 *
 * @returns the kernels installed by this call (empty when they already were).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-webgpu';
 * registerWebgpuTrainingKernels();
 * await tf.setBackend('webgpu'); // selectBackend('webgpu') does both
 * ```
 */
export function registerWebgpuTrainingKernels(): string[] {
  if (getKernel(PadV2, 'webgpu') == null) {
    throw new Error("@resnet/backend: the webgpu backend is not loaded; import '@tensorflow/tfjs-backend-webgpu' first");
  }
  const installed: string[] = [];
  for (const [name, make] of REPLACEMENTS) {
    const current = getKernel(name, 'webgpu') as Marked;
    if (current[MARK]) continue;
    unregisterKernel(name, 'webgpu');
    registerKernel({ ...current, kernelFunc: make(current.kernelFunc), [MARK]: true } as Marked);
    installed.push(name);
  }
  return installed;
}
