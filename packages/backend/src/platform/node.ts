/**
 * The backend's Node host (the `node` condition of `#platform`): threads,
 * cores, V8 flags and Dawn; see {@link BackendPlatform}.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { AdapterInfoLike } from '../webgpu/adapter.js';
import type { BackendPlatform, DawnProbe } from './types.js';

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

/** The backend's services in Node. */
export const platform: BackendPlatform = {
  name: 'node',
  workerThreads: () => import('node:worker_threads'),
  async cpuCount() {
    try {
      const os = await import('node:os');
      return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    } catch {
      return 1;
    }
  },
  async allowRelaxedSimd(bytes) {
    if (WebAssembly.validate(bytes)) return true;
    try {
      (await import('node:v8')).setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch {
      return false;
    }
    return WebAssembly.validate(bytes);
  },
  importDawn: () => import('webgpu' as string) as Promise<Record<string, unknown>>,
  probeDawnAdapter() {
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
  },
};
