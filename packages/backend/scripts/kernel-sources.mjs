// The C sources of the SIMD kernels and their combined sha256, shared by the
// build (scripts/build-kernels.mjs) and the test that the committed binary is
// up to date (src/wasm/simd-kernels.test.ts).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Paths of csrc/*.c and *.h under the package root `root`, sorted by name. */
export function kernelSources(root) {
  const dir = join(root, 'csrc');
  return readdirSync(dir).filter((f) => /\.[ch]$/.test(f)).sort().map((f) => join(dir, f));
}

/** sha256 over every source's name and contents, in name order. */
export function kernelSourcesSha256(root) {
  const hash = createHash('sha256');
  for (const path of kernelSources(root)) hash.update(`${path.slice(path.lastIndexOf('/') + 1)}\0`).update(readFileSync(path)).update('\0');
  return hash.digest('hex');
}
