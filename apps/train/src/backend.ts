/** Backend selection for the CLI, through @resnet/backend, announced at start. */
import '@tensorflow/tfjs';
import { BACKEND_NAMES, selectBackend, type BackendInfo, type BackendName } from '@resnet/backend';

export type { BackendInfo, BackendName };

/** The backends that run in Node: all of @resnet/backend's but the browsers' WebGL. */
export const NODE_BACKENDS = BACKEND_NAMES.filter((n) => n !== 'webgl');

/** How {@link useBackend} selects and reports. */
export interface UseBackendOptions {
  /** Print nothing (for --json output). */
  quiet?: boolean;
  /** Accept a software WebGPU adapter (SwiftShader: computes on the CPU), as `--allow-software` asks. */
  allowSoftware?: boolean;
  /** Threads of our wasm kernels, as `--wasm-threads` asks (default: the cores). */
  wasmThreads?: number;
}

/** Selects `name` and prints what runs where (to stderr, so --json stdout stays clean). */
export async function useBackend(name: BackendName, opts: UseBackendOptions = {}): Promise<BackendInfo> {
  const info = await selectBackend(name, {
    warn: (m) => process.stderr.write(`WARNING: ${m}\n`),
    allowSoftware: opts.allowSoftware,
    wasmThreads: opts.wasmThreads,
  });
  if (!opts.quiet) {
    process.stderr.write(`backend: ${info.name} on ${info.device} (${info.reason})\n`);
    for (const f of info.fallbacks) process.stderr.write(`  not used: ${f.backend}: ${f.reason}\n`);
  }
  if (info.software) {
    process.stderr.write(`WARNING: ${info.name} runs on a software renderer (${info.device}): correct, but slower than --backend wasm\n`);
  }
  return info;
}
