// The tfjs 'webgpu' backend on an adapter we chose and classified, with errors
// that the GPU reports turned into exceptions instead of garbage numbers.
import * as tf from '@tensorflow/tfjs-core';
import type { DataId } from '@tensorflow/tfjs-core';
import { BackendUnavailableError, describeError, importOptional } from '../errors.js';
import { platform } from '#platform';
import type { AdapterLike, DeviceKind } from './adapter.js';

type WebgpuBackendClass = new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend;

/** The part of the `@tensorflow/tfjs-backend-webgpu` module we use: its backend class. */
export interface WebgpuModule {
  WebGPUBackend: unknown;
}

interface GpuDeviceLike {
  addEventListener?(type: 'uncapturederror', listener: (e: { error?: { message?: string } }) => void): void;
  lost?: Promise<{ reason?: string; message?: string }>;
}

// What each live 'webgpu' backend runs on, recorded when selectBackend adopted it.
const kinds = new WeakMap<tf.KernelBackend, DeviceKind>();
// Why our factory last failed: tfjs only logs it and has setBackend return false.
let startError: string | undefined;

// Limits tfjs-backend-webgpu's own factory asks for: the adapter's, not WebGPU's defaults.
const LIMITS = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize',
  'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'];

// Bundlers do not follow importOptional's computed import: a bundled app imports the module itself.
const BUNDLED_HINT = "in a bundled app, import it yourself and pass it: selectBackend('webgpu', { webgpuModule: await import('@tensorflow/tfjs-backend-webgpu') })";

async function loadWebgpuClass(given: WebgpuModule | undefined): Promise<WebgpuBackendClass> {
  const mod = given ?? await importOptional('webgpu', '@tensorflow/tfjs-backend-webgpu', `run \`npm install @tensorflow/tfjs-backend-webgpu\`; ${BUNDLED_HINT}`)
    .catch((err: BackendUnavailableError) => {
      throw platform.name === 'node' ? err : new BackendUnavailableError('webgpu', `backend 'webgpu' needs @tensorflow/tfjs-backend-webgpu: ${BUNDLED_HINT}`, '@tensorflow/tfjs-backend-webgpu');
    });
  if (typeof mod.WebGPUBackend !== 'function') throw new BackendUnavailableError('webgpu', 'the webgpu module given has no WebGPUBackend class; pass @tensorflow/tfjs-backend-webgpu');
  return mod.WebGPUBackend as WebgpuBackendClass;
}

/**
 * Makes sure a 'webgpu' backend factory is registered, one that opens its device
 * on `adapter` where we can: in Node tfjs-backend-webgpu registers none (there is
 * no `navigator.gpu` when it is imported), and its own asks for an adapter of its
 * own. In a browser whose app imported tfjs-backend-webgpu without passing it
 * (`module`), its factory is kept. A live backend is kept as it is: its tensors
 * stay valid.
 */
export async function ensureWebgpuFactory(adapter: AdapterLike, module?: WebgpuModule): Promise<void> {
  if (tf.findBackend('webgpu') != null) return;
  if (module == null && platform.name !== 'node' && tf.findBackendFactory('webgpu') != null) return;
  const Backend = await loadWebgpuClass(module);
  if (tf.findBackendFactory('webgpu') != null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', async () => {
    startError = undefined;
    try {
      const requiredLimits = Object.fromEntries(LIMITS.filter((k) => adapter.limits[k] != null).map((k) => [k, adapter.limits[k]]));
      const requiredFeatures = ['timestamp-query', 'bgra8unorm-storage'].filter((f) => adapter.features.has(f));
      return new Backend(await adapter.requestDevice({ requiredFeatures, requiredLimits }), adapter.info);
    } catch (err) {
      startError = describeError(err);
      throw err;
    }
  }, 3);
}

/** Why our 'webgpu' backend factory last failed to start, if it did. */
export function webgpuStartError(): string | undefined {
  return startError;
}

/** The kind of device the live 'webgpu' backend runs on, once {@link adoptWebgpuBackend} saw it. */
export function liveWebgpuKind(): DeviceKind | undefined {
  const live = tf.findBackend('webgpu');
  return live == null ? undefined : kinds.get(live);
}

/** Records what the live 'webgpu' backend runs on and makes its GPU errors loud (once per backend). */
export function adoptWebgpuBackend(kind: DeviceKind): void {
  const live = tf.findBackend('webgpu') as (tf.KernelBackend & { device?: GpuDeviceLike }) | null;
  if (live == null || kinds.has(live)) return;
  kinds.set(live, kind);
  guardErrors(live, live.device ?? {});
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
