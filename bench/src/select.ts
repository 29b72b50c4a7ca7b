import { selectBackend, type BackendInfo } from '@resnet/backend';
import { intFlag, type BenchFlags } from './args.js';

/**
 * Selects backend `name` for a bench run (honouring --wasm-threads, else
 * --threads), or logs why it is skipped and returns null when it cannot run here.
 */
export async function selectOrSkip(name: string, { args, log }: BenchFlags): Promise<BackendInfo | null> {
  const threads = args.has('wasm-threads') ? intFlag(args, 'wasm-threads', 2) : args.has('threads') ? intFlag(args, 'threads', 2) : undefined;
  try {
    return await selectBackend(name, { warn: log, ...(threads != null ? { wasmThreads: threads } : {}) });
  } catch (err) {
    log(`${name}: skipped (${(err as Error).message.split('\n')[0]})`);
    return null;
  }
}
