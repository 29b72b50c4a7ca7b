// registerWasmTrainingKernels: the wasm kernels of wasm/ installed in tfjs'
// kernel registry, and the patches of patches/ that training on wasm needs.
// It sits above both folders, so neither imports the other's registration.
import {
  Add, Cast, Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput, FusedBatchNorm, FusedConv2D, Identity, MaxPoolGrad, Mean, Multiply, PadV2, Relu, Slice, Sub,
  Sum, Tile,
  getKernel, registerKernel, unregisterKernel,
} from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { makeConv2DBackpropFilter } from './wasm/conv2d-backprop-filter.js';
import { makeConv2DBackpropInput } from './wasm/conv2d-backprop-input.js';
import { makeConv2D } from './wasm/conv2d-forward.js';
import { conv2dResidualConfig } from './wasm/conv2d-residual.js';
import { reluGradKernelConfig } from './wasm/relu-grad.js';
import { patchBatchNormalizationLayer } from './patches/batchnorm-layer.js';
import { patchConv2DLayer } from './patches/conv-layer.js';
import { patchLayerOutputs } from './patches/layer-outputs.js';
import { registerTrainingGradients } from './patches/gradients.js';
import { keepProcessHandlers } from './patches/process-handlers.js';
import { shareWasmHeap } from './patches/shared-heap.js';
import { depthwiseBackpropConfigs } from './wasm/depthwise-backprop.js';
import { makeFusedBatchNorm } from './wasm/fused-batchnorm.js';
import { makeMaxPoolGrad } from './wasm/max-pool-grad.js';
import { makeBinary, makeRelu } from './wasm/elementwise.js';
import { makeCast, makeIdentity, makeTile } from './wasm/memory-kernels.js';
import { makeReduce, makeSlice } from './wasm/reduce-slice-kernels.js';
import { makePad } from './wasm/pad.js';

const MARK = Symbol.for('@resnet/backend.wasmTrainingKernel');
type Marked = KernelConfig & { [MARK]?: true };

/**
 * Stock wasm kernels we replace, each by a function of the stock kernel, which
 * stays the fallback for the cases ours do not cover.
 */
const REPLACEMENTS: ReadonlyArray<readonly [string, (stock: KernelFunc | undefined) => KernelFunc]> = [
  [Conv2D, (f) => makeConv2D(f, false)],
  [FusedConv2D, (f) => makeConv2D(f, true)],
  [Conv2DBackpropInput, makeConv2DBackpropInput],
  [Conv2DBackpropFilter, makeConv2DBackpropFilter],
  [FusedBatchNorm, makeFusedBatchNorm],
  [Identity, makeIdentity],
  [Cast, makeCast],
  [Tile, makeTile],
  [Sum, (f) => makeReduce('sum', f)],
  [Mean, (f) => makeReduce('mean', f)],
  [Slice, makeSlice],
  [PadV2, makePad],
  [Add, (f) => makeBinary('add', f)],
  [Sub, (f) => makeBinary('sub', f)],
  [Multiply, (f) => makeBinary('mul', f)],
  [Relu, makeRelu],
  [MaxPoolGrad, makeMaxPoolGrad],
];

/** The kernels {@link registerWasmTrainingKernels} installs, by kernel name. */
export const WASM_TRAINING_KERNELS: readonly string[] = [
  ...REPLACEMENTS.map(([name]) => name),
  ...depthwiseBackpropConfigs.map((c) => c.kernelName),
  conv2dResidualConfig.kernelName,
  reluGradKernelConfig.kernelName,
];

/**
 * Installs the training kernels the tfjs wasm backend lacks or runs slowly:
 * `Conv2DBackpropFilter` (missing, tensorflow/tfjs#8474), `Conv2DBackpropInput`
 * (the stock one is a naive loop), `Conv2D`/`FusedConv2D` and `FusedBatchNorm`
 * as WebAssembly SIMD kernels of our own that work in place on the backend's
 * memory (csrc/training_kernels.c; XNNPACK and the stock kernels remain the
 * fallbacks), the two depthwise gradients (missing), an `Identity`/`Cast` that
 * share buffers instead of copying, a block-copy `Tile`, a fused training-mode
 * BatchNorm, `Add`/`Sub`/`Multiply`/`Relu` that split large tensors over the
 * kernel workers (the stock kernels otherwise), a `MaxPoolGrad` split over
 * them too (the stock one is a single-threaded loop), and leaner BatchNorm and Mean
 * gradients (global, same values on every backend). It also makes the
 * backend's memory shared when it starts in Node, so that the kernel workers
 * compute on it (see `selectBackend`'s `wasmThreads`). Idempotent; call it after importing
 * `@tensorflow/tfjs-backend-wasm` and before training. `selectBackend('wasm')`
 * and `selectBackend('auto')` call it for you.
 *
 * @returns the names of the kernels installed by this call (empty when they
 *   already were).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm'); // model.fit on conv nets now works on wasm
 * ```
 */
export function registerWasmTrainingKernels(): string[] {
  if (getKernel('Conv2D', 'wasm') == null) {
    throw new Error("@resnet/backend: the wasm backend is not loaded; add `import '@tensorflow/tfjs-backend-wasm'` " +
      'before registerWasmTrainingKernels()');
  }
  const configs: KernelConfig[] = [
    ...REPLACEMENTS.map(([name, make]): KernelConfig => {
      const stock = getKernel(name, 'wasm');
      // The stock kernel's setupFunc (which binds its C++ function) must survive the replacement.
      return { kernelName: name, backendName: 'wasm', kernelFunc: make(stock?.kernelFunc), setupFunc: stock?.setupFunc };
    }),
    ...depthwiseBackpropConfigs,
    conv2dResidualConfig,
    reluGradKernelConfig,
  ];
  // Before anything can start the backend: its Emscripten glue must not take over the process's error handling.
  keepProcessHandlers();
  shareWasmHeap();
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
  if (patchConv2DLayer()) installed.push('Conv2D (training, wasm)');
  if (patchLayerOutputs()) installed.push('functional models (training: layer outputs freed early)');
  return installed;
}
