import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, describeError, importOptional } from './errors.js';
import { registerWasmTrainingKernels } from './register-wasm.js';
import { describeWasmEngine, wasmEngineInfo, type WasmEngineInfo } from './wasm/engine-info.js';
import type { WasmBackendLike } from './wasm/kernel-utils.js';
import { backendMemory, prepareSimdKernels } from './wasm/simd-kernels.js';
import { cpuCount, startSimdPool, stopSimdPool } from './wasm/simd-threads.js';
import { platform } from '#platform';
import { prepareWebgl, webglRenderer } from './webgl.js';
import { isSoftwareRenderer } from './webgpu/adapter.js';
import { adoptWebgpuBackend, webgpuStartError, type WebgpuModule } from './webgpu/backend.js';
import { prepareWebgpu } from './webgpu/candidate.js';
import type { DeviceKind } from './webgpu/adapter.js';

/** One backend that started: everything of `BackendInfo` but the request bookkeeping. */
export interface Picked {
  name: string;
  device: string;
  reason: string;
  software: boolean;
  /** On wasm: what computes, on how many threads. */
  wasm?: WasmEngineInfo;
}

async function activate(backend: string, tfName: string, startError?: () => string | undefined): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(tfName);
  } catch (err) {
    throw new BackendUnavailableError(backend, `backend '${backend}' failed to start: ${describeError(err)}`);
  }
  if (!ok) {
    const why = startError?.();
    throw new BackendUnavailableError(backend, `backend '${backend}' failed to initialise (tf.setBackend('${tfName}') returned false)${why ? `: ${why}` : ''}`);
  }
}

/**
 * Computes 1 + 1 on the active backend: one that starts but computes garbage is
 * worse than a slow one.
 */
export async function smokeTest(backend: string): Promise<void> {
  let values: number[];
  try {
    const two = tf.tidy(() => tf.add(tf.fill([4], 1), tf.fill([4], 1)));
    try {
      values = Array.from(await two.data());
    } finally {
      two.dispose();
    }
  } catch (err) {
    throw new BackendUnavailableError(backend, `backend '${backend}' started but failed to compute 1 + 1: ${describeError(err)}`);
  }
  if (!values.every((v) => v === 2)) {
    throw new BackendUnavailableError(backend, `backend '${backend}' started but computed 1 + 1 = ${values.join(', ')}`);
  }
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
    ? { name: 'tensorflow', device: 'GPU (CUDA, libtensorflow)', reason: 'tfjs-node-gpu found a CUDA GPU', software: false }
    : { name: 'tensorflow', device: 'CPU (libtensorflow, all cores)', reason: 'native TensorFlow via tfjs-node', software: false };
}

/** A GPU backend's device in words: the adapter, or the software renderer standing in for one. */
function gpuDevice(api: string, kind: DeviceKind): string {
  return kind.software ? `CPU (software ${api}: ${kind.description})` : `GPU (${api}: ${kind.description})`;
}

/** WebGPU: the browser's navigator.gpu, or Dawn through the `webgpu` package in Node. */
export async function tryWebgpu(allowSoftware: boolean, module?: WebgpuModule, quiet = false): Promise<Picked> {
  if (quiet && !allowSoftware && platform.name === 'browser') skipWebgpuWithoutGpu();
  const kind = await prepareWebgpu(allowSoftware, module, quiet);
  await activate('webgpu', 'webgpu', webgpuStartError);
  adoptWebgpuBackend(kind);
  const reason = kind.software ? 'a software WebGPU adapter, allowed by allowSoftware' : 'a WebGPU adapter on a GPU';
  return { name: 'webgpu', device: gpuDevice('WebGPU', kind), reason, software: kind.software };
}

/**
 * For `'auto'` in a browser: when WebGL renders in software (SwiftShader, …)
 * this browser has no GPU it may use, so WebGPU would find no adapter or a
 * software one (refused without `allowSoftware`); asking for one would only
 * leave Chromium's "No available adapters." in the console. Refuses WebGPU
 * without asking. Selecting 'webgpu' by name, or `allowSoftware`, still asks.
 */
function skipWebgpuWithoutGpu(): void {
  const renderer = webglRenderer();
  if (renderer != null && isSoftwareRenderer(renderer)) {
    throw new BackendUnavailableError('webgpu', `no GPU to use: WebGL renders in software here (${renderer}), so WebGPU was not asked for an adapter ` +
      "(select 'webgpu' by name, or pass allowSoftware, to try it)");
  }
}

/** WebGL (browsers): tfjs' 'webgl' backend. */
export async function tryWebgl(allowSoftware: boolean): Promise<Picked> {
  const kind = await prepareWebgl(allowSoftware);
  await activate('webgl', 'webgl');
  const reason = kind.software ? 'a software WebGL renderer, allowed by allowSoftware' : 'WebGL on a GPU';
  return { name: 'webgl', device: gpuDevice('WebGL', kind), reason, software: kind.software };
}

/** wasm: XNNPACK with SIMD; also installs our SIMD and training kernels (and their worker threads). */
export async function tryWasm(wasmThreads?: number): Promise<Picked> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    throw new BackendUnavailableError('wasm', `@tensorflow/tfjs-backend-wasm failed to load: ${describeError(err)}; run \`npm install @tensorflow/tfjs-backend-wasm\``, '@tensorflow/tfjs-backend-wasm');
  }
  registerWasmTrainingKernels();
  await activate('wasm', 'wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  await prepareSimdKernels();
  const backend = tf.backend() as unknown as WasmBackendLike;
  const memory = backendMemory(backend);
  let note = '';
  if (memory != null && (wasmThreads ?? cpuCount()) >= 2) {
    await startSimdPool(memory, wasmThreads ?? cpuCount()).catch((err: unknown) => {
      note = `; ${describeError(err)}`;
    });
  } else await stopSimdPool();
  const wasm = wasmEngineInfo(backend);
  const device = `CPU (${describeWasmEngine(wasm, simd as boolean)}${note})`;
  return { name: 'wasm', device, reason: 'WebAssembly (XNNPACK and the @resnet/backend SIMD kernels, which also train)', software: false, wasm };
}

/** cpu: the pure-JS reference backend. */
export async function tryCpu(): Promise<Picked> {
  if (tf.findBackendFactory('cpu') == null) {
    await importOptional('cpu', '@tensorflow/tfjs-backend-cpu', 'run `npm install @tensorflow/tfjs-backend-cpu` (it comes with @tensorflow/tfjs)');
  }
  await activate('cpu', 'cpu');
  return { name: 'cpu', device: 'CPU (pure JavaScript, 1 thread)', reason: 'the reference backend; slow for convolutions', software: false };
}
