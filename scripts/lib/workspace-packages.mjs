// The workspace's packages as pnpm itself lists them (`pnpm ls -r --depth -1
// --json`), for the scripts that walk every package: no second reading of
// pnpm-workspace.yaml's globs.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

/** Every workspace package, the root first: `[{ name, dir, private }]`. */
export function workspacePackages(root) {
  const listed = JSON.parse(execFileSync('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { cwd: root, encoding: 'utf8' }));
  const packages = listed.map((p) => ({ name: p.name, dir: p.path, private: Boolean(p.private) }));
  const isRoot = (p) => realpathSync(p.dir) === realpathSync(root);
  return [...packages.filter(isRoot), ...packages.filter((p) => !isRoot(p))];
}

/** The root and every workspace package's folder. */
export function workspaceDirs(root) {
  return workspacePackages(root).map((p) => p.dir);
}
