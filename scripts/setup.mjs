#!/usr/bin/env node
// One-command set-up for a fresh machine with only Node 20 and npm:
// pnpm itself, the workspace's dependencies, Chromium for the demo's browser
// tests (Debian's package, where apt is available), and a build of everything.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { exitOnHelp } from './lib/usage.mjs';

exitOnHelp(`usage: npm run setup   (node scripts/setup.mjs)

Installs pnpm 12.4.2 globally, the workspace from the lockfile, Debian's Chromium when
missing (where apt is available), and builds every package.`);

const PNPM = '12.4.2';

function run(cmd) {
  console.log(`\n$ ${cmd}`);
  execSync(cmd, { stdio: 'inherit' });
}

function version(cmd) {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8', shell: true });
  return r.status === 0 ? r.stdout.trim() : null;
}

if (version('pnpm') !== PNPM) {
  // corepack fails on this registry's missing signatures; a global npm install works.
  run(`npm install --global pnpm@${PNPM}`);
}
run('pnpm install --frozen-lockfile');

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!chromium && process.env.RESNET_SKIP_CHROMIUM !== '1') {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
  } else {
    console.warn('Chromium not found: the demo\'s browser tests need it (Debian: apt-get install chromium).');
  }
}
run('pnpm build');
