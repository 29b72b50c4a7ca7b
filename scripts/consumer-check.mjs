#!/usr/bin/env node
// What our users do: pack every publishable package, install the tarballs with
// plain npm into a fresh project outside the workspace together with
// @tensorflow/tfjs, and import each package there as ESM and as CommonJS.
// Catches broken exports maps, missing `files` and workspace-only imports.
import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packages = readdirSync(join(root, 'packages'));
const dir = mkdtempSync(join(tmpdir(), 'resnet-consumer-'));
const sh = (cmd, cwd) => execSync(cmd, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

try {
  const tarballs = packages.map((name) => {
    const out = sh(`pnpm pack --pack-destination ${dir}`, join(root, 'packages', name));
    const file = out.trim().split('\n').filter((l) => l.endsWith('.tgz')).pop();
    if (!file) throw new Error(`pnpm pack printed no tarball for packages/${name}`);
    return resolve(join(root, 'packages', name), file.trim());
  });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  sh(`npm install --no-audit --no-fund --loglevel=error @tensorflow/tfjs@4.22.0 ${tarballs.join(' ')}`, dir);

  const names = packages.map((n) => JSON.parse(readFileSync(join(root, 'packages', n, 'package.json'), 'utf8')).name);
  writeFileSync(
    join(dir, 'esm.mjs'),
    `import '@tensorflow/tfjs';
const out = {};
for (const name of ${JSON.stringify(names)}) out[name] = Object.keys(await import(name)).sort();
console.log(JSON.stringify(out));`,
  );
  writeFileSync(
    join(dir, 'cjs.cjs'),
    `require('@tensorflow/tfjs');
const out = {};
for (const name of ${JSON.stringify(names)}) out[name] = Object.keys(require(name)).filter((k) => k !== '__esModule').sort();
console.log(JSON.stringify(out));`,
  );
  const esm = JSON.parse(sh('node esm.mjs', dir).trim().split('\n').pop());
  const cjs = JSON.parse(sh('node cjs.cjs', dir).trim().split('\n').pop());
  let failed = false;
  for (const name of names) {
    const same = JSON.stringify(esm[name]) === JSON.stringify(cjs[name]);
    const ok = esm[name].length > 0 && same;
    failed ||= !ok;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${esm[name].length} exports (ESM), ${cjs[name].length} (CJS)${same ? '' : ' — ESM and CJS differ'}`);
  }
  // One copy of tfjs: two copies break layer registration and SymbolicTensor checks.
  const copies = sh('npm ls @tensorflow/tfjs-core --all --parseable', dir).trim().split('\n').filter(Boolean);
  const unique = new Set(copies.map((p) => p.replace(/.*node_modules\//, '')));
  if (unique.size !== 1) {
    failed = true;
    console.log(`FAIL more than one @tensorflow/tfjs-core installed: ${[...unique].join(', ')}`);
  }
  if (failed) process.exit(1);
  console.log(`consumer check passed in ${dir}`);
} finally {
  if (!process.env.KEEP_CONSUMER) rmSync(dir, { recursive: true, force: true });
}
