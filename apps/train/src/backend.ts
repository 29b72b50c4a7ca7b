/** Backend selection for the CLI, through @resnet/backend, announced at start. */
import '@tensorflow/tfjs';
import { selectBackend, type BackendInfo, type BackendName } from '@resnet/backend';

export { BACKEND_NAMES } from '@resnet/backend';
export type { BackendInfo, BackendName };

/** Selects `name` and prints what runs where (to stderr, so --json stdout stays clean). */
export async function useBackend(name: BackendName, quiet = false): Promise<BackendInfo> {
  const info = await selectBackend(name, { warn: (m) => process.stderr.write(`WARNING: ${m}\n`) });
  if (!quiet) {
    process.stderr.write(`backend: ${info.name} on ${info.device} (${info.reason})\n`);
    for (const f of info.fallbacks) process.stderr.write(`  not used: ${f}\n`);
  }
  return info;
}
