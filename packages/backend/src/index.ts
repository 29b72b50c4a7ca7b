/**
 * @packageDocumentation
 * @resnet/backend: pick the fastest TensorFlow.js backend available, and train
 * convolutional networks on the wasm backend (the gradient kernels it lacks).
 */
export { selectBackend, BACKEND_NAMES } from './select-backend.js';
export type { BackendInfo, BackendName, SelectBackendOptions } from './select-backend.js';
export { BackendUnavailableError } from './errors.js';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm/register.js';
export { registerTrainingGradients } from './wasm/gradients.js';
export { enableRelaxedSimd, prepareSimdKernels, setSimdKernelOptions, setSimdKernelsEnabled, simdKernelOptions } from './wasm/simd-kernels.js';
export type { SimdKernelOptions } from './wasm/simd-kernels.js';
export { fuseForInference } from './wasm/inference.js';
export type { FusedInference, LayerLike, LayersModelLike, NodeLike, SymbolicLike } from './wasm/inference.js';
