import { selectBackend, type BackendInfo } from '@resnet/backend';
import { intFlag, type BenchFlags } from './args.js';

/**
 * Selects backend `name` for a bench run (with `wasmThreads` when given, else
 * --wasm-threads, else --threads; and --allow-software), or logs why it is
 * skipped and returns null when it cannot run here.
 */
export async function selectOrSkip(name: string, { args, log }: BenchFlags, wasmThreads?: number): Promise<BackendInfo | null> {
  const threads = wasmThreads ?? (args.has('wasm-threads') ? intFlag(args, 'wasm-threads', 2) : args.has('threads') ? intFlag(args, 'threads', 2) : undefined);
  try {
    return await selectBackend(name, {
      warn: log,
      allowSoftware: args.has('allow-software'),
      ...(threads != null ? { wasmThreads: threads } : {}),
      // Imported here so that a bundle of the bench (bench/gpu/pack.sh) holds it.
      ...(name === 'webgpu' ? { webgpuModule: await import('@tensorflow/tfjs-backend-webgpu') } : {}),
    });
  } catch (err) {
    log(`${name}: skipped (${(err as Error).message.split('\n')[0]})`);
    return null;
  }
}

/** A row's backend name; GPU backends say whether they ran on a GPU or on a software renderer (a CPU). */
export function rowLabel(info: BackendInfo): string {
  return info.name === 'webgpu' || info.name === 'webgl' ? `${info.name} (${info.software ? 'software' : 'GPU'})` : info.name;
}
