#!/usr/bin/env node
// What our users do: pack every publishable package, install the tarballs with
// plain npm into a fresh project outside the workspace together with
// @tensorflow/tfjs, and import each package there as ESM and as CommonJS.
// Catches broken exports maps, missing `files` and workspace-only imports.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packAndInstall, sh } from './lib/consumer-project.mjs';
import { exitOnHelp } from './lib/usage.mjs';

exitOnHelp(`usage: pnpm test:consumer   (node scripts/consumer-check.mjs [--browser])

Packs each library, installs the tarballs with plain npm beside @tensorflow/tfjs in a temp
project, imports each as ESM and CommonJS. --browser: then the browser consumer test there.
KEEP_CONSUMER=1 keeps the folder.`);

// --browser: also the browser consumer test (bundlers + Chromium) in the same project.
const browser = process.argv.includes('--browser');
const { BROWSER_DEPS, runBrowserConsumer } = browser ? await import('./browser-consumer/run.mjs') : {};
const { dir, names } = packAndInstall('resnet-consumer-', browser ? BROWSER_DEPS : ['@tensorflow/tfjs@4.22.0']);

try {
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
  if (browser && (await runBrowserConsumer(dir))) process.exit(1);
} finally {
  if (!process.env.KEEP_CONSUMER) rmSync(dir, { recursive: true, force: true });
}
