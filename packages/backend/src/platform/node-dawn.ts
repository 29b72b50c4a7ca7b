/**
 * Node only: WebGPU through Dawn (the `webgpu` npm package). Reached only from
 * `./node.ts` (the `node` condition of `#platform`), so no browser bundle holds
 * it; it imports nothing of the backend's main bundle (a CommonJS platform
 * entry would get its own copy of it).
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { AdapterInfoLike, GpuLike } from '../webgpu/adapter.js';
import type { DawnHost, DawnProbe } from './types.js';

let dawnGpu: GpuLike | null = null;

/**
 * Dawn's `GPU` object (one per process: every instance loads the Vulkan, Metal
 * or D3D12 drivers anew), installed where tfjs-backend-webgpu looks as in a
 * browser: `navigator.gpu` (its backend refuses to start without it) and the
 * `GPUBufferUsage`, `GPUMapMode`, … globals. Rejects with the import's own
 * error when `webgpu` is not installed.
 */
async function loadDawn(): Promise<GpuLike> {
  if (dawnGpu != null) return dawnGpu;
  const dawn = (await import('webgpu' as string)) as Record<string, unknown>;
  const create = dawn.create as ((flags: string[]) => GpuLike) | undefined;
  if (typeof create !== 'function') throw new Error("the 'webgpu' package does not export create(); expected webgpu >= 0.2");
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

// Run by the probe's child process: ask Dawn for an adapter, print what it is as JSON.
const PROBE_SOURCE = `
const { create } = await import(process.argv[1]);
const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
const i = adapter?.info ?? {};
const info = { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter };
process.stdout.write(JSON.stringify(adapter == null ? null : { info, isFallbackAdapter: adapter.isFallbackAdapter === true }));
process.exit(0);
`;
const PROBE_TIMEOUT_MS = 20_000;

function webgpuEntry(): string | null {
  try {
    return createRequire(import.meta.url).resolve('webgpu');
  } catch {
    return null;
  }
}

function probeDawnAdapter(): Promise<DawnProbe> {
  const entry = webgpuEntry();
  if (entry == null) return Promise.resolve<DawnProbe>({ kind: 'not-installed' });
  return new Promise<DawnProbe>((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', PROBE_SOURCE, pathToFileURL(entry).href],
      { timeout: PROBE_TIMEOUT_MS, windowsHide: true, maxBuffer: 1 << 20 }, (err, stdout) => {
        let found: { info: AdapterInfoLike; isFallbackAdapter: boolean } | null | undefined;
        try {
          found = JSON.parse(stdout) as typeof found;
        } catch {
          found = undefined;
        }
        if (found === undefined) {
          const why = err == null ? 'it printed no answer' : err.killed ? `no answer in ${PROBE_TIMEOUT_MS / 1000} s` : err.message.split('\n')[0];
          resolve({ kind: 'none', detail: `probing Dawn failed: ${why}` });
        } else if (found == null) resolve({ kind: 'none', detail: 'no adapter' });
        else resolve({ kind: 'adapter', info: found.info, isFallbackAdapter: found.isFallbackAdapter });
      });
  });
}

/** WebGPU in Node: Dawn, loaded and probed. */
export const dawn: DawnHost = {
  loaded: () => dawnGpu != null,
  load: loadDawn,
  probe: probeDawnAdapter,
  installHint: 'run `npm install webgpu` (Dawn for Node; prebuilt for Linux, macOS and Windows)',
  noAdapterHint:
    'Dawn (the `webgpu` package) found no Vulkan/Metal/D3D12 adapter: check the GPU driver (`vulkaninfo --summary`). ' +
    'To test on a machine without a GPU, point the Vulkan loader at a software driver, e.g. Debian chromium\'s SwiftShader: ' +
    'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json XDG_RUNTIME_DIR=/tmp, and pass allowSoftware ' +
    '(Mesa\'s lavapipe is refused by Dawn)',
};
