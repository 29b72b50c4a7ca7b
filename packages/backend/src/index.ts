/**
 * @packageDocumentation
 * @resnet/backend: pick the fastest TensorFlow.js backend available (telling a
 * real GPU from a software one), and train convolutional networks on the wasm
 * backend (the gradient kernels it lacks) and on WebGPU (the kernels it gets wrong).
 */
export { selectBackend, BACKEND_NAMES } from './select-backend.js';
export type { BackendFallback, BackendInfo, BackendName, ConcreteBackend, SelectBackendOptions } from './select-backend.js';
export { BackendUnavailableError } from './errors.js';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './register-wasm.js';
export { registerTrainingGradients } from './patches/gradients.js';
export { enableRelaxedSimd, prepareSimdKernels, setSimdKernelOptions, setSimdKernelsEnabled, simdKernelOptions } from './wasm/simd-kernels.js';
export type { SimdKernelOptions } from './wasm/simd-kernels.js';
export { simdKernelCalls } from './wasm/simd-kernels.js';
export { MAX_WASM_THREADS, simdPoolShares } from './wasm/simd-threads.js';
export type { WasmEngineInfo } from './wasm/engine-info.js';
export { registerWebgpuTrainingKernels, WEBGPU_TRAINING_KERNELS } from './webgpu/register.js';
export type { WebgpuModule } from './webgpu/backend.js';
