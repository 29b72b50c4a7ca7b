// The browser backend chain: WebGL, then WebGPU, then wasm, then cpu. Each step
// records why it was or was not taken, so the page can say which backend it runs
// on and why (a silent fallback is the bug tfjs-node-gpu users hit; see docs/architecture.md).
import * as tf from '@tensorflow/tfjs';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
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

function webglDevice(): string {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return 'WebGL 2';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return 'WebGL 2';
  }
}

/** Registers the backend's code where it is loaded lazily; returns a reason when it cannot run here. */
async function prepare(name: DemoBackend): Promise<string | null> {
  if (name === 'webgl') {
    const gl = document.createElement('canvas').getContext('webgl2');
    return gl ? null : 'this browser gives no WebGL 2 context';
  }
  if (name === 'webgpu') {
    if (!('gpu' in navigator)) return 'navigator.gpu is missing (WebGPU not available in this browser)';
    const adapter = await (navigator as Navigator & { gpu: { requestAdapter(): Promise<unknown> } }).gpu.requestAdapter();
    if (!adapter) return 'navigator.gpu found no adapter';
    await import('@tensorflow/tfjs-backend-webgpu');
    return null;
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
    });
    return null;
  }
  return null;
}

/**
 * Walks the chain from `start`, skipping `disabled`, and settles on the first
 * backend that initialises and computes 1 + 1 = 2 correctly.
 */
export async function chooseBackend(start: DemoBackend = 'webgl', disabled: DemoBackend[] = []): Promise<BackendChoice> {
  const attempts: BackendAttempt[] = [];
  for (const name of BACKEND_CHAIN.slice(BACKEND_CHAIN.indexOf(start))) {
    if (disabled.includes(name)) {
      attempts.push({ name, ok: false, reason: 'disabled by ?disable=' });
      continue;
    }
    try {
      const why = await prepare(name);
      if (why) {
        attempts.push({ name, ok: false, reason: why });
        continue;
      }
      if (!(await tf.setBackend(name))) {
        attempts.push({ name, ok: false, reason: 'tf.setBackend returned false (initialisation failed)' });
        continue;
      }
      await tf.ready();
      // A backend that initialises but computes garbage is worse than a slow one.
      const two = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
      const v = (await two.data())[0];
      two.dispose();
      if (v !== 2) {
        attempts.push({ name, ok: false, reason: `smoke test 1 + 1 gave ${v}` });
        continue;
      }
      attempts.push({ name, ok: true, reason: 'initialised and passed the smoke test' });
      const device =
        name === 'webgl' ? webglDevice() : name === 'wasm' ? `WebAssembly${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ' + SIMD' : ''}` : name === 'webgpu' ? 'WebGPU adapter' : 'JavaScript (main thread)';
      return { name, device, attempts };
    } catch (e) {
      attempts.push({ name, ok: false, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new Error(`no tfjs backend works here; tried: ${attempts.map((a) => `${a.name} (${a.reason})`).join('; ')}`);
}
