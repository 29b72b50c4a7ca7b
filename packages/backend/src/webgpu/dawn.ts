// Node only: WebGPU through Dawn (the `webgpu` npm package), imported through
// `#platform`, so browser bundles never see it.
import { platform } from '#platform';
import { BackendUnavailableError, importOptional } from '../errors.js';
import type { GpuLike } from './adapter.js';

let dawnGpu: GpuLike | null = null;

/** True once Dawn is loaded in this process (a probe of it then costs nothing more and prints nothing new). */
export const dawnLoaded = (): boolean => dawnGpu != null;

/**
 * Dawn's `GPU` object (one per process: every instance loads the Vulkan, Metal
 * or D3D12 drivers anew), installed where tfjs-backend-webgpu looks as in a
 * browser: `navigator.gpu` (its backend refuses to start without it) and the
 * `GPUBufferUsage`, `GPUMapMode`, … globals.
 */
export async function loadDawn(): Promise<GpuLike> {
  if (dawnGpu != null) return dawnGpu;
  const dawn = await importOptional('webgpu', 'webgpu', 'run `npm install webgpu` (Dawn for Node; prebuilt for Linux, macOS and Windows)', platform.importDawn);
  const create = dawn.create as ((flags: string[]) => GpuLike) | undefined;
  if (typeof create !== 'function') throw new BackendUnavailableError('webgpu', "the 'webgpu' package does not export create(); expected webgpu >= 0.2");
  const globals = dawn.globals as Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(globals ?? {})) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const gpu = create([]);
  const g = globalThis as { navigator?: { gpu?: GpuLike } };
  if (g.navigator == null) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else if (g.navigator.gpu == null) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  dawnGpu = gpu;
  return gpu;
}

/**
 * What to tell a Node user whose Dawn found no adapter: the Vulkan loader's
 * variables, and the software driver Debian's chromium ships, for testing.
 */
export const DAWN_NO_ADAPTER_HINT =
  'Dawn (the `webgpu` package) found no Vulkan/Metal/D3D12 adapter: check the GPU driver (`vulkaninfo --summary`). ' +
  'To test on a machine without a GPU, point the Vulkan loader at a software driver, e.g. Debian chromium\'s SwiftShader: ' +
  'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json XDG_RUNTIME_DIR=/tmp, and pass allowSoftware ' +
  '(Mesa\'s lavapipe is refused by Dawn)';
