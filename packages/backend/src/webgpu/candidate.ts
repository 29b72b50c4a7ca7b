import { BackendUnavailableError, softwareRefused } from '../errors.js';
import { classifyAdapter, type AdapterLike, type DeviceKind, type GpuLike } from './adapter.js';
import { installWebgpuBackend, liveWebgpuKind, loadWebgpuModule } from './backend.js';

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

/** `navigator.gpu` in a browser, Dawn in Node; with what to say when it finds no adapter. */
async function gpuApi(): Promise<{ gpu: GpuLike; noAdapter: string }> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (gpu != null) return { gpu, noAdapter: 'WebGPU found no adapter: no usable GPU (or its driver is blocklisted by this browser)' };
  if (isNode) {
    const { loadDawn, DAWN_NO_ADAPTER_HINT } = await import('./dawn.js');
    return { gpu: await loadDawn(), noAdapter: `WebGPU found no adapter: ${DAWN_NO_ADAPTER_HINT}` };
  }
  throw new BackendUnavailableError('webgpu', 'this browser has no WebGPU (navigator.gpu is missing: it needs a WebGPU browser, ' +
    'e.g. Chrome or Edge 113+, and a secure context: https or http://localhost)');
}

/**
 * Finds the WebGPU adapter (the high-performance one), refuses a software one
 * unless `allowSoftware`, and installs the tfjs 'webgpu' backend on it (not
 * yet active). Resolves to what the backend runs on.
 */
export async function prepareWebgpu(allowSoftware: boolean): Promise<DeviceKind> {
  const Backend = await loadWebgpuModule();
  let kind = liveWebgpuKind();
  let adapter: AdapterLike | null = null;
  if (kind == null) {
    const { gpu, noAdapter } = await gpuApi();
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter == null) throw new BackendUnavailableError('webgpu', noAdapter);
    kind = classifyAdapter(adapter);
  }
  if (kind.software && !allowSoftware) throw softwareRefused('webgpu', kind.description);
  if (adapter != null) installWebgpuBackend(Backend, adapter, kind);
  return kind;
}
