import { Conv2DBackpropFilter, Conv2DBackpropInput, FusedBatchNorm, getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DForwardConfigs } from './conv2d-forward.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseBackpropConfigs } from './depthwise-backprop.js';
import { fusedBatchNormConfig } from './fused-batchnorm.js';
import { patchBatchNormalizationLayer } from './batchnorm-training.js';
import { registerTrainingGradients } from './gradients.js';
import { memoryKernelConfigs } from './memory-kernels.js';
import { reduceSliceConfigs } from './reduce-slice-kernels.js';

const MARK = Symbol.for('@resnet/backend.wasmTrainingKernel');
type Marked = KernelConfig & { [MARK]?: true };

/** The kernels {@link registerWasmTrainingKernels} installs, by kernel name. */
export const WASM_TRAINING_KERNELS: readonly string[] = [
  'Conv2D',
  'FusedConv2D',
  Conv2DBackpropInput,
  Conv2DBackpropFilter,
  FusedBatchNorm,
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'Identity',
  'Cast',
  'Tile',
  'Sum',
  'Mean',
  'Slice',
];

/**
 * Installs the training kernels the tfjs wasm backend lacks or runs slowly:
 * `Conv2DBackpropFilter` (missing, tensorflow/tfjs#8474), a `Conv2DBackpropInput`
 * built on the backend's XNNPACK conv2d (the stock one is a naive loop), and the
 * two depthwise gradients (missing), an `Identity`/`Cast` that share buffers
 * instead of copying, a block-copy `Tile`, and leaner BatchNorm and Mean
 * gradients (global, same values on every backend). Idempotent; call it after importing
 * `@tensorflow/tfjs-backend-wasm` and before training. `selectBackend('wasm')`
 * and `selectBackend('auto')` call it for you.
 *
 * @returns the names of the kernels installed by this call (empty when they
 *   already were).
 */
export function registerWasmTrainingKernels(): string[] {
  if (getKernel('Conv2D', 'wasm') == null) {
    throw new Error("@resnet/backend: the wasm backend is not loaded; add `import '@tensorflow/tfjs-backend-wasm'` " +
      'before registerWasmTrainingKernels()');
  }
  const stockInput = getKernel(Conv2DBackpropInput, 'wasm') as Marked | undefined;
  const stockFilter = getKernel(Conv2DBackpropFilter, 'wasm') as Marked | undefined;
  const stockBatchNorm = getKernel(FusedBatchNorm, 'wasm') as Marked | undefined;
  const configs: KernelConfig[] = [
    // The stock kernel stays the fallback for what XNNPACK cannot express; its
    // setupFunc (which binds the C++ function) must survive the replacement.
    { ...conv2DBackpropInputConfig(stockInput?.kernelFunc), setupFunc: stockInput?.setupFunc },
    { ...conv2DBackpropFilterConfig(stockFilter?.kernelFunc), setupFunc: stockFilter?.setupFunc },
    { ...fusedBatchNormConfig(stockBatchNorm?.kernelFunc), setupFunc: stockBatchNorm?.setupFunc },
    ...depthwiseBackpropConfigs,
    ...conv2DForwardConfigs((name) => getKernel(name, 'wasm')),
    ...memoryKernelConfigs((name) => getKernel(name, 'wasm')),
    ...reduceSliceConfigs((name) => getKernel(name, 'wasm')),
  ];
  const installed: string[] = [];
  for (const config of configs) {
    const current = getKernel(config.kernelName, 'wasm') as Marked | undefined;
    if (current?.[MARK]) continue;
    if (current != null) unregisterKernel(config.kernelName, 'wasm');
    const marked: Marked = { ...config, [MARK]: true };
    if (marked.setupFunc === undefined) delete marked.setupFunc;
    registerKernel(marked);
    installed.push(config.kernelName);
  }
  // Fewer full-size temporaries in the BatchNorm gradient: what a wasm step pays for.
  registerTrainingGradients();
  if (patchBatchNormalizationLayer()) installed.push('BatchNormalization (training, wasm)');
  return installed;
}
