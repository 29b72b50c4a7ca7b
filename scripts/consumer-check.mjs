#!/usr/bin/env node
// What our users do: pack every publishable package, install the tarballs with
// plain npm into a fresh project outside the workspace together with
// @tensorflow/tfjs, and import each package there as ESM and as CommonJS.
// Catches broken exports maps, missing `files` and workspace-only imports.
// Subpath entries (@resnet/zoo/keras, @resnet/zoo/worker) are imported too, each
// checked for the names it must export, and a Keras HDF5 file is loaded through
// the installed @resnet/zoo/keras (h5wasm found from inside node_modules).
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packAndInstall, root, sh } from './lib/consumer-project.mjs';
import { exitOnHelp } from './lib/usage.mjs';

exitOnHelp(`usage: pnpm test:consumer   (node scripts/consumer-check.mjs [--browser])

Packs each library, installs the tarballs with plain npm beside @tensorflow/tfjs in a temp
project, imports each as ESM and CommonJS. --browser: then the browser consumer test there.
KEEP_CONSUMER=1 keeps the folder.`);

// --browser: also the browser consumer test (bundlers + Chromium) in the same project.
const browser = process.argv.includes('--browser');
const { BROWSER_DEPS, runBrowserConsumer } = browser ? await import('./browser-consumer/run.mjs') : {};
const { dir, names: packageNames } = packAndInstall('resnet-consumer-', browser ? BROWSER_DEPS : ['@tensorflow/tfjs@4.22.0']);
// Subpath entries and the names each must export (a missing entry or a renamed export fails).
const SUBPATHS = {
  '@resnet/zoo/keras': ['loadKerasWeights'],
  '@resnet/zoo/worker': ['WorkerClassifier', 'loadClassifierInWorker'],
};
const names = [...packageNames, ...Object.keys(SUBPATHS)];

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
    const lacking = (SUBPATHS[name] ?? []).filter((k) => !esm[name].includes(k));
    failed ||= lacking.length > 0;
    console.log(
      `${ok && !lacking.length ? 'ok  ' : 'FAIL'} ${name}: ${esm[name].length} exports (ESM), ${cjs[name].length} (CJS)` +
        `${same ? '' : ' — ESM and CJS differ'}${lacking.length ? ` — lacks ${lacking.join(', ')}` : ''}`,
    );
  }
  // Keras HDF5 through the installed entry, as ESM and as CommonJS: the tiny h5py
  // fixture (tools/fixtures/make_fixtures.py) into the model it was written for.
  copyFileSync(join(root, 'tools/fixtures/zoo/keras_tiny_v1.h5'), join(dir, 'tiny.h5'));
  // Every weight the file holds (its h5py-side listing) must land.
  const fixture = JSON.parse(readFileSync(join(root, 'tools/fixtures/zoo/keras_tiny_v1.json'), 'utf8'));
  const inFile = fixture.layers.reduce((a, [, ws]) => a + ws.length, 0);
  const kerasBody = (zoo, keras) => `
const model = ${zoo}.buildResNet(
  { block: 'bottleneck', layers: [2, 1, 1, 1], widths: [4, 8, 16, 32], stemWidth: 8 },
  { variant: 'v1', numClasses: 5, inputShape: [32, 32, 3] },
  'keras_tiny',
);
const viaEntry = await ${keras}.loadKerasWeights(model, 'tiny.h5');
const viaFrom = await ${zoo}.loadWeights(model, 'tiny.h5', { from: 'keras' });
console.log(JSON.stringify({ entry: [viaEntry.ok, viaEntry.loaded.length], from: [viaFrom.ok, viaFrom.loaded.length] }));`;
  writeFileSync(join(dir, 'keras.mjs'), `import '@tensorflow/tfjs';
import * as zoo from '@resnet/zoo';
import * as keras from '@resnet/zoo/keras';
${kerasBody('zoo', 'keras')}`);
  writeFileSync(join(dir, 'keras.cjs'), `require('@tensorflow/tfjs');
const zoo = require('@resnet/zoo');
const keras = require('@resnet/zoo/keras');
(async () => {${kerasBody('zoo', 'keras')}
})().catch((e) => { console.error(e); process.exit(1); });`);
  for (const file of ['keras.mjs', 'keras.cjs']) {
    let line = '';
    try {
      line = sh(`node ${file}`, dir).trim().split('\n').pop();
    } catch (e) {
      line = String(e.message).split('\n')[0];
    }
    let r;
    try {
      r = JSON.parse(line);
    } catch {
      r = undefined;
    }
    // Both reports must be ok and load every weight in the file.
    const ok = r && r.entry[0] && r.from[0] && r.entry[1] === inFile && r.from[1] === inFile;
    failed ||= !ok;
    console.log(`${ok ? 'ok  ' : 'FAIL'} Keras HDF5 via @resnet/zoo/keras (${file}): ${r ? `${r.entry[1]}/${inFile} weights loaded` : line}`);
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
