// What our users do: pack every publishable package and install the tarballs
// with plain npm into a fresh project outside the workspace. Shared by the
// consumer check (Node, ESM and CJS) and the browser consumer test (bundlers).
import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..');

/** Runs a shell command in `cwd`; its stderr goes to ours, its stdout is returned. */
export const sh = (cmd, cwd) => execSync(cmd, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

/**
 * Packs packages/* into a fresh temp folder (prefix `prefix`) and installs the
 * tarballs there with npm, beside `extra` (e.g. `@tensorflow/tfjs@4.22.0`).
 * Returns the folder and the package names.
 */
export function packAndInstall(prefix, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const packages = readdirSync(join(root, 'packages'));
  const tarballs = packages.map((name) => {
    const out = sh(`pnpm pack --pack-destination ${dir}`, join(root, 'packages', name));
    const file = out.trim().split('\n').filter((l) => l.endsWith('.tgz')).pop();
    if (!file) throw new Error(`pnpm pack printed no tarball for packages/${name}`);
    return resolve(join(root, 'packages', name), file.trim());
  });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  sh(`npm install --no-audit --no-fund --loglevel=error ${[...extra, ...tarballs].join(' ')}`, dir);
  const names = packages.map((n) => JSON.parse(readFileSync(join(root, 'packages', n, 'package.json'), 'utf8')).name);
  return { dir, names };
}
