// The page's backend, chosen by @resnet/backend's selectBackend over the page's
// chain (WebGL, then WebGPU, then wasm, then cpu), with every step's reason, so
// the page can say which backend it runs on and why (a silent fallback is the
// bug tfjs-node-gpu users hit; see docs/architecture.md).
import '@tensorflow/tfjs';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selectBackend, type WebgpuModule } from '@resnet/backend';
import { BACKEND_CHAIN, type DemoBackend } from './lib/backend-query.js';

export { BACKEND_CHAIN, parseBackendQuery, type DemoBackend } from './lib/backend-query.js';

/** What happened when one backend was tried. */
export interface BackendAttempt {
  name: DemoBackend;
  ok: boolean;
  reason: string;
}

/** The outcome of the chain: the backend in use and every attempt before it. */
export interface BackendChoice {
  name: DemoBackend;
  device: string;
  attempts: BackendAttempt[];
}

/**
 * Loads the backends that come as separate chunks, before selectBackend looks for
 * them; resolves to the webgpu module (for `webgpuModule`) when this browser has WebGPU.
 */
async function load(candidates: DemoBackend[]): Promise<WebgpuModule | undefined> {
  if (candidates.includes('wasm')) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
    });
  }
  // Passed to selectBackend: @resnet/backend imports it by a name bundlers cannot follow.
  return candidates.includes('webgpu') && 'gpu' in navigator ? import('@tensorflow/tfjs-backend-webgpu') : undefined;
}

/**
 * Walks the chain from `start`, skipping `disabled`, and settles on the first
 * backend that starts and computes 1 + 1 = 2 (selectBackend checks both).
 */
export async function chooseBackend(start: DemoBackend = 'webgl', disabled: DemoBackend[] = []): Promise<BackendChoice> {
  const chain = BACKEND_CHAIN.slice(BACKEND_CHAIN.indexOf(start));
  const candidates = chain.filter((name) => !disabled.includes(name));
  const webgpuModule = await load(candidates);
  // A software WebGL or WebGPU (what GPU-less and headless browsers give) is fine for
  // the page's small digit model; the status line shows when the device is software.
  const info = await selectBackend('auto', { candidates, allowSoftware: true, webgpuModule });
  const failed = new Map<string, string>(info.fallbacks.map((f) => [f.backend, f.reason]));
  const attempts: BackendAttempt[] = [];
  for (const name of chain) {
    if (disabled.includes(name)) attempts.push({ name, ok: false, reason: 'disabled by ?disable=' });
    else if (failed.has(name)) attempts.push({ name, ok: false, reason: failed.get(name)! });
    else if (name === info.name) {
      attempts.push({ name, ok: true, reason: 'started and passed the smoke test (1 + 1 = 2)' });
      break;
    }
  }
  return { name: info.name as DemoBackend, device: info.device, attempts };
}
