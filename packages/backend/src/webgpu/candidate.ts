import { BackendUnavailableError, importOptional, softwareRefused } from '../errors.js';
import { platform } from '#platform';
import { classifyAdapter, type DeviceKind, type GpuLike } from './adapter.js';
import { ensureWebgpuFactory, liveWebgpuKind, type WebgpuModule } from './backend.js';
import { registerWebgpuTrainingKernels } from './register.js';

/**
 * `navigator.gpu` in a browser, Dawn in Node; with what to say when it finds no
 * adapter. `quiet` (for `'auto'`): in Node, ask Dawn in a child process first and
 * load it here only for an adapter that would be used, since loading it prints
 * the Vulkan loader's and Dawn's complaints about every driver it tries.
 */
async function gpuApi(allowSoftware: boolean, quiet: boolean): Promise<{ gpu: GpuLike; noAdapter: string }> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (gpu != null) return { gpu, noAdapter: 'WebGPU found no adapter: no usable GPU (or its driver is blocklisted by this browser)' };
  const dawn = platform.dawn;
  if (dawn != null) {
    const noAdapter = `WebGPU found no adapter: ${dawn.noAdapterHint}`;
    if (quiet && !dawn.loaded()) {
      const probe = await dawn.probe();
      if (probe.kind === 'none') throw new BackendUnavailableError('webgpu', probe.detail === 'no adapter' ? noAdapter : `${noAdapter} (${probe.detail})`);
      if (probe.kind === 'adapter') {
        const kind = classifyAdapter(probe);
        if (kind.software && !allowSoftware) throw softwareRefused('webgpu', kind.description);
      }
      // 'not-installed': loading it below says so, and prints nothing.
    }
    // Not installed, or a webgpu without create(): a BackendUnavailableError that says so.
    const gpu = (await importOptional('webgpu', 'webgpu', dawn.installHint, dawn.load)) as unknown as GpuLike;
    return { gpu, noAdapter };
  }
  throw new BackendUnavailableError('webgpu', 'this browser has no WebGPU (navigator.gpu is missing: it needs a WebGPU browser, ' +
    'e.g. Chrome or Edge 113+, and a secure context: https or http://localhost)');
}

/**
 * Finds the WebGPU adapter (the high-performance one, as tfjs' own factory
 * asks), refuses a software one unless `allowSoftware`, and readies the tfjs
 * 'webgpu' backend on it with our kernels (not yet active). Resolves to what
 * the backend runs on.
 * With `quiet` (`'auto'` in Node), Dawn is asked in a child process first and
 * loaded here only when its adapter would be used.
 */
export async function prepareWebgpu(allowSoftware: boolean, module?: WebgpuModule, quiet = false): Promise<DeviceKind> {
  let kind = liveWebgpuKind();
  if (kind == null) {
    const { gpu, noAdapter } = await gpuApi(allowSoftware, quiet);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter == null) throw new BackendUnavailableError('webgpu', noAdapter);
    kind = classifyAdapter(adapter);
    await ensureWebgpuFactory(adapter, module);
  }
  if (kind.software && !allowSoftware) throw softwareRefused('webgpu', kind.description);
  // Also puts ours back after a second import of the webgpu backend re-registered the stock kernels.
  registerWebgpuTrainingKernels();
  return kind;
}
