// The workspace's package folders, read from pnpm-workspace.yaml the way pnpm
// reads them (`dir` or `dir/*`), for the scripts that walk every package.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The root and every folder `packages:` in pnpm-workspace.yaml names that holds a package.json. */
export function workspaceDirs(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^packages:\n((?:\s+-\s+.*\n)+)/m.exec(yaml)?.[1] ?? '';
  const dirs = [root];
  for (const [, pattern] of block.matchAll(/-\s+['"]?([^'"\n]+)['"]?/g)) {
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      for (const d of readdirSync(parent, { withFileTypes: true })) if (d.isDirectory()) dirs.push(join(parent, d.name));
    } else dirs.push(join(root, pattern));
  }
  return dirs.filter((d) => existsSync(join(d, 'package.json')));
}
