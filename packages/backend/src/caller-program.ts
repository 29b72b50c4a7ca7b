// For tests only (not exported from index.ts): runs caller-program.fixture.ts in
// a fresh Node and returns what it printed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('./caller-program.fixture.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url)); // where tsx is installed

/** What a run of the caller's program printed, and how it ended. */
export interface CallerRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the caller's program with `backend` selected (or 'none') and the given
 * failure, in the environment of a machine without a GPU set up (no Vulkan
 * driver named, no XDG_RUNTIME_DIR) plus `env`.
 */
export function runCallerProgram(backend: string, failure: 'throw' | 'reject' | 'none', env: Record<string, string> = {}): CallerRun {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VK_ICD_FILENAMES|VK_DRIVER_FILES|XDG_RUNTIME_DIR)$/.test(k)));
  const r = spawnSync(process.execPath, ['--import', 'tsx', fixture, backend, failure], {
    cwd: root, encoding: 'utf8', env: { ...base, ...env }, timeout: 90_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
