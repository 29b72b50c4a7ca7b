/**
 * @packageDocumentation
 * @resnet/backend: pick the fastest TensorFlow.js backend available (telling a
 * real GPU from a software one), and train convolutional networks on the wasm
 * backend (the gradient kernels it lacks) and on WebGPU (the kernels it gets wrong).
 */
export { selectBackend, BACKEND_NAMES } from './select-backend.js';
export type { BackendInfo, BackendName, ConcreteBackend, SelectBackendOptions } from './select-backend.js';
export { BackendUnavailableError } from './errors.js';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm/register.js';
export { registerTrainingGradients } from './wasm/gradients.js';
export { enableRelaxedSimd, prepareSimdKernels, setSimdKernelOptions, setSimdKernelsEnabled, simdKernelOptions } from './wasm/simd-kernels.js';
export type { SimdKernelOptions } from './wasm/simd-kernels.js';
export { registerWebgpuTrainingKernels, WEBGPU_TRAINING_KERNELS } from './webgpu/register.js';
export type { WebgpuModule } from './webgpu/backend.js';
