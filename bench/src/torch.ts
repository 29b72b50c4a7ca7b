import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Debian's python with torch; the pyenv `python3` on PATH has no torch. */
export const PYTHON = process.env.RESNET_BENCH_PYTHON ?? '/usr/bin/python3';

/** Runs a bench/python script and parses the JSON object it prints last; null (with a reason) when torch is absent. */
export function runPython(script: string, args: string[]): { result: Record<string, unknown> | null; note: string } {
  if (!existsSync(PYTHON)) return { result: null, note: `${PYTHON} not found (set RESNET_BENCH_PYTHON)` };
  const path = fileURLToPath(new URL(`../python/${script}`, import.meta.url));
  const r = spawnSync(PYTHON, [path, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    const err = (r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ');
    return { result: null, note: /No module named 'torch/.test(err) ? `PyTorch is not installed for ${PYTHON}` : `python failed: ${err}` };
  }
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (line == null) return { result: null, note: 'python printed no JSON' };
  return { result: JSON.parse(line) as Record<string, unknown>, note: '' };
}
