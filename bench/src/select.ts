import { selectBackend, type BackendInfo } from '@resnet/backend';
import { intFlag, type BenchFlags } from './args.js';

/**
 * Selects backend `name` for a bench run (honouring --wasm-threads), or logs
 * why it is skipped and returns null when it cannot run here.
 */
export async function selectOrSkip(name: string, { args, log }: BenchFlags): Promise<BackendInfo | null> {
  try {
    return await selectBackend(name, { warn: log, ...(args.has('wasm-threads') ? { wasmThreads: intFlag(args, 'wasm-threads', 2) } : {}) });
  } catch (err) {
    log(`${name}: skipped (${(err as Error).message.split('\n')[0]})`);
    return null;
  }
}
