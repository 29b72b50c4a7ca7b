#!/usr/bin/env node
// Hand-run: cold and cached time to the first ResNet-50 prediction in Chromium,
// on wasm and WebGL, with the packed tarballs bundled by esbuild (minified).
// Weights: a ResNet-50 state dict (97.8 MB) written by exportWeights, served by
// the Hub-like test server. Each round uses a fresh browser context (empty
// Cache API): load 1 downloads, load 2 reads the cache.
//   node --import tsx scripts/browser-consumer/time-resnet50.mjs [--rounds 3]
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { startFakeHub } from '../../packages/zoo/src/testing/hub-server.ts';
import { packAndInstall, sh } from '../lib/consumer-project.mjs';
import { BROWSER_DEPS, serve } from './run.mjs';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(args.rounds);
const { dir } = packAndInstall('resnet-timing-', BROWSER_DEPS);
try {
  copyFileSync(join(import.meta.dirname, 'timing-app.js'), join(dir, 'timing-app.js'));
  const out = join(dir, 'dist');
  await esbuild.build({ entryPoints: [join(dir, 'timing-app.js')], bundle: true, platform: 'browser', format: 'esm', splitting: true, outdir: out, minify: true });
  copyFileSync(join(import.meta.dirname, 'timing.html'), join(out, 'index.html'));
  const weights = join(dir, 'resnet50.safetensors');
  sh(`node -e "import('@tensorflow/tfjs').then(async()=>{const z=await import('@resnet/zoo');require('fs').writeFileSync('${weights}', z.exportWeights(z.createModel('resnet50'),{to:'torchvision'}))})"`, dir);
  const hub = await startFakeHub([{ repo: 'test/resnet50.timing', path: 'model.safetensors', bytes: readFileSync(weights) }]);
  const server = await serve({ '/wasm/': join(dir, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'), '/app/': out });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  console.log(`Chromium ${browser.version()}; ResNet-50 weights ${(readFileSync(weights).byteLength / 1e6).toFixed(1)} MB; ${rounds} rounds`);
  const url = (backend) => `${server.url}/app/index.html?backend=${backend}&weights=${encodeURIComponent(hub.url('test/resnet50.timing', 'model.safetensors'))}`;
  for (const backend of ['wasm', 'webgl']) {
    const cold = [];
    const cached = [];
    for (let r = 0; r < rounds; r++) {
      const context = await browser.newContext();
      for (const into of [cold, cached]) {
        const page = await context.newPage();
        await page.goto(url(backend));
        const res = await (await page.waitForFunction(() => window.__result, null, { timeout: 600_000 })).jsonValue();
        if (res.error) throw new Error(res.error);
        into.push(res.firstPredictionMs / 1000);
        await page.close();
      }
      await context.close();
    }
    const stat = (xs) => `median ${[...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(1)} s (range ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
    console.log(`${backend}: first prediction cold ${stat(cold)}, cached ${stat(cached)}; downloads so far ${hub.count('/cdn/')}`);
  }
  await browser.close();
  await server.close();
  await hub.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
