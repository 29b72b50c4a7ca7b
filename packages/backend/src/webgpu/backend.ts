// The tfjs 'webgpu' backend on an adapter we chose and classified, with errors
// that the GPU reports turned into exceptions instead of garbage numbers.
import * as tf from '@tensorflow/tfjs-core';
import type { DataId } from '@tensorflow/tfjs-core';
import { describeError, importOptional } from '../errors.js';
import type { AdapterLike, DeviceKind } from './adapter.js';
import { registerWebgpuTrainingKernels } from './register.js';

type WebgpuBackendClass = new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend;

interface GpuDeviceLike {
  addEventListener?(type: 'uncapturederror', listener: (e: { error?: { message?: string } }) => void): void;
  lost?: Promise<{ reason?: string; message?: string }>;
}

// What the live 'webgpu' backend runs on, when our factory made it.
const kinds = new WeakMap<tf.KernelBackend, DeviceKind>();
// Why our factory last failed: tfjs only logs it and has setBackend return false.
let startError: string | undefined;

// Limits tfjs-backend-webgpu's own factory asks for: the adapter's, not WebGPU's defaults.
const LIMITS = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize',
  'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'];

/**
 * Imports tfjs-backend-webgpu and (re)installs our kernels. A second import of
 * the webgpu backend re-registers the stock kernels over ours; this puts ours back.
 */
export async function loadWebgpuModule(): Promise<WebgpuBackendClass> {
  const mod = await importOptional('webgpu', '@tensorflow/tfjs-backend-webgpu', 'run `npm install @tensorflow/tfjs-backend-webgpu`');
  registerWebgpuTrainingKernels();
  return mod.WebGPUBackend as WebgpuBackendClass;
}

/** The kind of device the live 'webgpu' backend runs on, when {@link installWebgpuBackend} made it. */
export function liveWebgpuKind(): DeviceKind | undefined {
  const live = tf.findBackend('webgpu');
  return live == null ? undefined : kinds.get(live);
}

/**
 * Registers a 'webgpu' backend factory that opens a device on `adapter`, in
 * place of tfjs-backend-webgpu's own (which asks for an adapter of its own,
 * and registers only when `navigator.gpu` existed when it was imported: never
 * in Node). A live 'webgpu' backend is kept as it is: its tensors stay valid.
 */
export function installWebgpuBackend(Backend: WebgpuBackendClass, adapter: AdapterLike, kind: DeviceKind): void {
  if (tf.findBackend('webgpu') != null) return;
  if (tf.findBackendFactory('webgpu') != null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', async () => {
    startError = undefined;
    try {
      const requiredLimits = Object.fromEntries(LIMITS.filter((k) => adapter.limits[k] != null).map((k) => [k, adapter.limits[k]]));
      const requiredFeatures = ['timestamp-query', 'bgra8unorm-storage'].filter((f) => adapter.features.has(f));
      const device = (await adapter.requestDevice({ requiredFeatures, requiredLimits })) as GpuDeviceLike;
      const backend = new Backend(device, adapter.info);
      guardErrors(backend, device);
      kinds.set(backend, kind);
      return backend;
    } catch (err) {
      startError = describeError(err);
      throw err;
    }
  }, 3);
}

/** Why the 'webgpu' backend factory last failed to start, if it did. */
export function webgpuStartError(): string | undefined {
  return startError;
}

/**
 * Makes GPU failures loud. WebGPU reports an invalid shader or a lost device
 * as an event and carries on, so tfjs would return garbage: the next read of a
 * tensor throws with the GPU's message instead. `dataSync()` in Node (tfjs
 * reads synchronously through an OffscreenCanvas, which Node lacks) says to
 * use `await tensor.data()`.
 */
function guardErrors(backend: tf.KernelBackend, device: GpuDeviceLike): void {
  const errors: string[] = [];
  device.addEventListener?.('uncapturederror', (e) => errors.push((e.error?.message ?? 'unknown error').split('\n')[0]!));
  void device.lost?.then((info) => {
    if (info.reason !== 'destroyed') errors.push(`the GPU device was lost: ${info.message ?? info.reason ?? ''}`);
  });
  const check = (): void => {
    if (errors.length === 0) return;
    const all = errors.splice(0);
    throw new Error(`@resnet/backend: WebGPU reported ${all.length} error(s); results computed since are not valid: ${all.join('; ')}`);
  };
  const read = backend.read.bind(backend);
  backend.read = async (dataId: DataId) => {
    const values = await read(dataId);
    check();
    return values;
  };
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId: DataId) => {
    try {
      return readSync(dataId);
    } catch (err) {
      if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas === 'undefined') {
        throw new Error('@resnet/backend: dataSync()/arraySync() cannot read a tensor held by the webgpu backend here ' +
          '(tfjs reads synchronously through an OffscreenCanvas, which Node lacks); use `await tensor.data()` or `await tensor.array()`');
      }
      throw err;
    } finally {
      check();
    }
  };
}
