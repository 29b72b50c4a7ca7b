import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, describeError, isModuleNotFound } from './errors.js';
import { registerWasmTrainingKernels } from './wasm/register.js';
import { prepareSimdKernels, relaxedSimdAccepted } from './wasm/simd-kernels.js';
import { cpuCount, startSimdHelper, stopSimdHelper } from './wasm/simd-threads.js';

/** One backend that started: everything of `BackendInfo` but the request bookkeeping. */
export interface Picked {
  name: string;
  device: string;
  reason: string;
}

/**
 * Imports an optional package by a computed specifier, so bundlers and tsc do
 * not require it to exist; a missing package becomes an error that says how to
 * install it.
 */
async function importOptional(backend: string, pkg: string, install: string): Promise<Record<string, unknown>> {
  try {
    return (await import(/* @vite-ignore */ pkg)) as Record<string, unknown>;
  } catch (err) {
    if (isModuleNotFound(err, pkg)) {
      throw new BackendUnavailableError(backend, `backend '${backend}' needs the npm package ${pkg}, which is not installed; ${install}`, pkg);
    }
    throw new BackendUnavailableError(backend, `backend '${backend}': ${pkg} is installed but failed to load: ${describeError(err)}`);
  }
}

async function activate(backend: string, tfName: string): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(tfName);
  } catch (err) {
    throw new BackendUnavailableError(backend, `backend '${backend}' failed to start: ${describeError(err)}`);
  }
  if (!ok) throw new BackendUnavailableError(backend, `backend '${backend}' failed to initialise (tf.setBackend('${tfName}') returned false)`);
}

/** tfjs-node(-gpu): libtensorflow on the CPU, or on a CUDA GPU. */
export async function tryTensorflow(gpu: boolean, warn: (m: string) => void): Promise<Picked> {
  const backend = gpu ? 'tensorflow-gpu' : 'tensorflow';
  const pkg = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  // Both packages register the same 'tensorflow' backend; reuse whichever is loaded.
  if (gpu || tf.findBackendFactory('tensorflow') == null) {
    await importOptional(backend, pkg, gpu
      ? `run \`npm install ${pkg}\` (Linux x64 with CUDA 11.2 and cuDNN 8.1; its install script downloads libtensorflow)`
      : `run \`npm install ${pkg}\` (its install script downloads libtensorflow for Linux, macOS or Windows x64)`);
  }
  await activate(backend, 'tensorflow');
  const instance = tf.backend() as unknown as { isUsingGpuDevice?: boolean | (() => boolean); isGPUPackage?: boolean };
  const raw = instance.isUsingGpuDevice;
  const onGpu = typeof raw === 'function' ? raw.call(instance) : raw === true;
  if (gpu && !onGpu) {
    const msg = `@tensorflow/tfjs-node-gpu loaded, but TensorFlow found no usable CUDA GPU and would run on the CPU ` +
      `without saying so (tensorflow/tfjs#8269). Check CUDA 11.2 / cuDNN 8.1 and that the GPU is visible (nvidia-smi).`;
    warn(msg);
    throw new BackendUnavailableError(backend, msg);
  }
  return onGpu
    ? { name: 'tensorflow', device: 'GPU (CUDA, libtensorflow)', reason: 'tfjs-node-gpu found a CUDA GPU' }
    : { name: 'tensorflow', device: 'CPU (libtensorflow, all cores)', reason: 'native TensorFlow via tfjs-node' };
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; device?: string };
}

/** WebGPU: the browser's navigator.gpu, or Dawn through the `webgpu` package in Node. */
export async function tryWebgpu(): Promise<Picked> {
  const g = globalThis as unknown as { navigator?: { gpu?: { requestAdapter(o?: object): Promise<GpuAdapterLike | null> } } };
  let gpu = g.navigator?.gpu;
  let globals: Record<string, unknown> | undefined;
  if (gpu == null) {
    const dawn = await importOptional('webgpu', 'webgpu', 'run `npm install webgpu` (Dawn for Node; prebuilt for Linux/macOS/Windows)');
    const create = dawn.create as ((flags: string[]) => NonNullable<typeof gpu>) | undefined;
    if (typeof create !== 'function') throw new BackendUnavailableError('webgpu', "the 'webgpu' package does not export create(); expected webgpu >= 0.2");
    gpu = create([]);
    globals = dawn.globals as Record<string, unknown> | undefined;
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter == null) {
    throw new BackendUnavailableError('webgpu', 'WebGPU found no adapter: no usable GPU (or Vulkan/Metal/D3D12 driver) on this machine');
  }
  // tfjs-backend-webgpu registers itself only when navigator.gpu exists at import
  // time, and reads the GPUBufferUsage/GPUMapMode globals Dawn provides.
  if (globals != null) Object.assign(globalThis, globals);
  if (g.navigator == null) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else if (g.navigator.gpu == null) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  await importOptional('webgpu', '@tensorflow/tfjs-backend-webgpu', 'run `npm install @tensorflow/tfjs-backend-webgpu`');
  if (tf.findBackendFactory('webgpu') == null) {
    throw new BackendUnavailableError('webgpu', '@tensorflow/tfjs-backend-webgpu was imported before navigator.gpu existed and did not register; ' +
      "call selectBackend('webgpu') before importing it");
  }
  await activate('webgpu', 'webgpu');
  const i = adapter.info ?? {};
  const what = [i.vendor, i.architecture, i.description || i.device].filter((s) => s).join(' ');
  return { name: 'webgpu', device: `GPU (WebGPU${what ? `: ${what}` : ''})`, reason: 'a WebGPU adapter is available' };
}

/** wasm: XNNPACK with SIMD; also installs our SIMD and training kernels (and their helper thread). */
export async function tryWasm(wasmThreads?: number): Promise<Picked> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    throw new BackendUnavailableError('wasm', `@tensorflow/tfjs-backend-wasm failed to load: ${describeError(err)}; run \`npm install @tensorflow/tfjs-backend-wasm\``, '@tensorflow/tfjs-backend-wasm');
  }
  registerWasmTrainingKernels();
  await activate('wasm', 'wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  await prepareSimdKernels();
  const fma = relaxedSimdAccepted();
  let helper = false;
  let note = '';
  if ((wasmThreads ?? (await cpuCount())) >= 2) {
    helper = await startSimdHelper().catch((err: unknown) => {
      note = `; ${describeError(err)}`;
      return false;
    });
  } else await stopSimdHelper();
  const device = `CPU (wasm${simd ? ' SIMD' : ''}${fma ? ' + FMA' : ''}, ${threads ? 'multi-threaded' : helper ? '2 threads for convolutions' : '1 thread'}${note})`;
  return { name: 'wasm', device, reason: 'WebAssembly (XNNPACK and the @resnet/backend SIMD kernels, which also train)' };
}

/** cpu: the pure-JS reference backend. */
export async function tryCpu(): Promise<Picked> {
  if (tf.findBackendFactory('cpu') == null) {
    await importOptional('cpu', '@tensorflow/tfjs-backend-cpu', 'run `npm install @tensorflow/tfjs-backend-cpu` (it comes with @tensorflow/tfjs)');
  }
  await activate('cpu', 'cpu');
  return { name: 'cpu', device: 'CPU (pure JavaScript, 1 thread)', reason: 'the reference backend; slow for convolutions' };
}
