#!/usr/bin/env node
// The browser consumer test: the packed tarballs installed with plain npm into
// a fresh project, one small classify app (app.js) bundled by webpack 5, esbuild,
// Vite and Rollup, each served on 127.0.0.1 and opened in Debian's Chromium. The
// app loads a ResNet-18 classifier, downloads weights this test generated from a
// Hub-like server (302 to a CDN path, integrity headers; packages/zoo/src/testing/hub-server.ts),
// predicts and classifies; its logits must match the same model's in Node (rel.
// max diff ≤ 1e-5) and its top-5 Node's. A second page load must take the
// weights from the browser's cache: the test counts the requests. Each bundle
// must hold at most 1.6 MB of JavaScript (every emitted .js file, minified) and
// none of the zoo's Node-only code or the HDF5 reader (the app does not import
// @resnet/zoo/keras). Prints "N passed, N failed".
// Run alone: node --import tsx scripts/browser-consumer/run.mjs (or `pnpm test:browser-consumer`);
// `pnpm test` runs it in the consumer check's project (consumer-check.mjs --browser).
// Env: SIZE (input size, default 64), BUNDLE_MINIFY=1 (minified bundles, for sizes), KEEP=1 (keep the folder).
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { chromium } from 'playwright-core';
import { startFakeHub } from '../../packages/zoo/src/testing/hub-server.ts';
import { assert, check, summary } from '../../apps/demo/e2e/harness.mjs';
import { packAndInstall, sh } from '../lib/consumer-project.mjs';
import { exitOnHelp } from '../lib/usage.mjs';

const SIZE = Number(process.env.SIZE ?? 64);
/** The most JavaScript a browser classify app may emit (issue 27): tfjs with its wasm backend alone is ~1.14 MB. */
const MAX_JS_BYTES = 1.6e6;
/** Code (minified, so no comments) that only the zoo's Node-only modules or the HDF5 reader hold. */
const NODE_ONLY = [
  [/needs the 'sharp' package/, "the zoo's Node image decoder (sharp)"],
  [/RESNET_ZOO_CACHE/, "the zoo's Node cache folder"],
  [/get_dataset_metadata/, 'the HDF5 reader (h5wasm), which only @resnet/zoo/keras needs'],
  [/Dawn for Node|vk_swiftshader_icd/, "@resnet/backend's Dawn (webgpu for Node) loader"],
];
/**
 * Node built-in modules named in emitted code: `"node:…"` specifiers (our
 * packages name built-ins only so), and require()/import()/`from` of a bare
 * built-in name. Any one fails the test, except those of {@link THIRD_PARTY_BUILTINS}.
 */
const BUILTIN_NAMES = builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/[/]/g, '\\/'));
const NODE_BUILTIN = new RegExp(
  `["'\`]node:[\\w/]+["'\`]|(?:require|import)\\s*\\(\\s*["'\`](?:${BUILTIN_NAMES.join('|')})["'\`]\\s*\\)|\\bfrom\\s*["'\`](?:${BUILTIN_NAMES.join('|')})["'\`]`,
  'g',
);
/**
 * Bare built-ins that tfjs itself emits, guarded by its own Node checks and not
 * ours to remove: tfjs-backend-wasm's Emscripten glue (`require("fs")`,
 * `require("worker_threads")`) and tfjs-core's Node platform (`require('util')`).
 */
const THIRD_PARTY_BUILTINS = new Set(['require("fs")', 'require("worker_threads")', 'require("util")', "require('util')"]);
/** The bundlers of bundlers.mjs (each runs in a child process, so this file does not load them). */
const BUNDLER_NAMES = ['esbuild', 'webpack', 'vite', 'rollup'];
const minify = process.env.BUNDLE_MINIFY === '1';
const here = import.meta.dirname;
/** What the consumer project needs beyond the tarballs. */
export const BROWSER_DEPS = ['@tensorflow/tfjs@4.22.0', '@tensorflow/tfjs-backend-wasm@4.22.0'];

if (process.argv[1] === import.meta.filename) {
  exitOnHelp(`usage: pnpm test:browser-consumer   (node --import tsx scripts/browser-consumer/run.mjs)

Packs and installs the libraries with npm, bundles one app with webpack 5, esbuild, Vite and
Rollup and runs each in Chromium against a local Hub-like server. Env: SIZE (default 64),
BUNDLE_MINIFY=1, KEEP=1.`);
  const { dir } = packAndInstall('resnet-browser-consumer-', BROWSER_DEPS);
  let failures = 1;
  try {
    failures = await runBrowserConsumer(dir);
  } finally {
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  }
  process.exit(failures ? 1 : 0);
}

/** Runs the checks in `dir`, a project where the tarballs and BROWSER_DEPS are installed; returns the failures. */
export async function runBrowserConsumer(dir) {
  const t0 = Date.now();
  const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const cleanup = [];
  try {
    const app = join(dir, 'app.js');
    copyFileSync(join(here, 'app.js'), app);
    copyFileSync(join(here, 'reference.mjs'), join(dir, 'reference.mjs'));
    const weights = join(dir, 'model.safetensors');
    const { logits: expected, top5: expectedTop5 } = JSON.parse(sh(`node reference.mjs ${weights} ${SIZE}`, dir).trim().split('\n').pop());
    console.log(`reference logits from Node (${expected.length}), weights ${(statSync(weights).size / 2 ** 20).toFixed(1)} MiB (${secs()})`);

    const hub = await startFakeHub([{ repo: 'test/resnet18.browser', path: 'model.safetensors', bytes: readFileSync(weights) }]);
    cleanup.push(() => hub.close());
    const wasmDir = join(dir, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    const sizes = {};
    const outs = {};
    // Two bundlers at a time, each in its own process (CI has two cores).
    const results = {};
    const queue = [...BUNDLER_NAMES];
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) results[name] = await bundleInChild(name, app, join(dir, `dist-${name}`));
    };
    await Promise.all([worker(), worker()]);
    console.log(`bundled (${secs()})`);
    for (const name of BUNDLER_NAMES) {
      await check(`${name} bundles the app with no errors, no Node built-in warnings, no Node-only code or HDF5, ≤ ${MAX_JS_BYTES / 1e6} MB of JavaScript`, async () => {
        const { errors, warnings, nodeWarnings, ms } = results[name];
        const out = join(dir, `dist-${name}`);
        assert(errors.length === 0, `errors:\n${errors.join('\n')}`);
        assert(nodeWarnings.length === 0, `Node built-in warnings:\n${nodeWarnings.join('\n')}`);
        const js = readdirSync(out, { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, f), 'utf8'));
        // Sizes of minified output: unless BUNDLE_MINIFY=1 esbuild, Vite and Rollup do not
        // minify (it takes most of their time), so esbuild minifies what they emitted;
        // webpack always minifies (it drops unused exports only then).
        const min = minify || name === 'webpack' ? js : await Promise.all(js.map(async (code) => (await transform(code, { minify: true, loader: 'js' })).code));
        const bytes = min.reduce((a, b) => a + Buffer.byteLength(b), 0);
        sizes[name] = { ms, bytes, gzip: min.reduce((a, b) => a + gzipSync(b).byteLength, 0), files: js.length, warnings: warnings.length };
        outs[name] = out;
        const found = NODE_ONLY.filter(([re]) => min.some((code) => re.test(code))).map(([, what]) => what);
        const builtins = [...new Set(min.flatMap((code) => [...code.matchAll(NODE_BUILTIN)].map((m) => m[0])))].filter((b) => !THIRD_PARTY_BUILTINS.has(b));
        assert(found.length === 0, `the browser build holds ${found.join(', ')}`);
        assert(builtins.length === 0, `the browser build names Node built-in modules: ${builtins.join(', ')}`);
        assert(bytes <= MAX_JS_BYTES, `${(bytes / 1e6).toFixed(2)} MB of JavaScript (minified), more than ${MAX_JS_BYTES / 1e6} MB`);
      });
    }

    const server = await serve({ '/wasm/': wasmDir, ...Object.fromEntries(Object.entries(outs).map(([n, d]) => [`/${n}/`, d])) });
    cleanup.push(() => server.close());
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    cleanup.push(() => browser.close());
    const weightsUrl = hub.url('test/resnet18.browser', 'model.safetensors');
    const timings = {};
    for (const name of Object.keys(outs)) {
      // A fresh context per bundler: its own, empty Cache API storage.
      const context = await browser.newContext();
      const load = async () => {
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${server.url}/${name}/index.html?size=${SIZE}&weights=${encodeURIComponent(weightsUrl)}`);
        const r = await (await page.waitForFunction(() => window.__result, null, { timeout: 90_000 })).jsonValue();
        await page.close();
        assert(!r.error && errors.length === 0, `the page failed: ${r.error ?? errors.join('; ')}`);
        return r;
      };
      await check(`${name}: the ResNet-18 classifier in Chromium matches Node (logits, top-5), verified weights; the second load comes from the cache`, async () => {
        const cdn0 = hub.count('/cdn/');
        const first = await load(); // requireVerified: an unverified file would have failed the page
        assert(hub.count('/cdn/') - cdn0 === 1, `first load: ${hub.count('/cdn/') - cdn0} weight downloads, expected 1`);
        assert(first.progress > 1 && first.fused === true, `first load: ${first.progress} progress events, fused ${first.fused}`);
        const topDiff = Math.max(...first.top5.map((c, i) => Math.abs(c.probability - expectedTop5[i].probability)));
        assert(JSON.stringify(first.top5.map((c) => c.index)) === JSON.stringify(expectedTop5.map((c) => c.index)) && topDiff <= 1e-5,
          `classify top-5 ${JSON.stringify(first.top5)} differs from Node's ${JSON.stringify(expectedTop5)}`);
        const maxAbs = Math.max(...expected.map(Math.abs));
        const diff = Math.max(...first.logits.map((v, i) => Math.abs(v - expected[i])));
        assert(first.logits.length === expected.length && diff / maxAbs <= 1e-5, `rel. max diff ${diff / maxAbs} > 1e-5 (backend ${first.backend})`);
        const before = { resolve: hub.count('/test/'), cdn: hub.count('/cdn/'), api: hub.count('/api/') };
        const second = await load();
        const after = { resolve: hub.count('/test/'), cdn: hub.count('/cdn/'), api: hub.count('/api/') };
        assert(JSON.stringify(after) === JSON.stringify(before), `second load made requests: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
        assert(second.progress === 0, `second load: ${second.progress} progress events`);
        timings[name] = { cold: first.firstPredictionMs, cached: second.firstPredictionMs, diff: diff / maxAbs };
      });
      await context.close();
    }
    console.log('\nbundle sizes (all .js output, minified) and time to the first prediction (ResNet-18, wasm):');
    for (const [n, s] of Object.entries(sizes)) {
      const t = timings[n];
      console.log(`  ${n.padEnd(8)} ${(s.bytes / 1e6).toFixed(3)} MB (${(s.gzip / 1e6).toFixed(3)} MB gzip, ${s.files} files, ${s.warnings} other warnings), built in ${(s.ms / 1000).toFixed(1)} s` +
        (t ? `; first prediction cold ${(t.cold / 1000).toFixed(1)} s, cached ${(t.cached / 1000).toFixed(1)} s; rel. max diff ${t.diff.toExponential(1)}` : ''));
    }
  } finally {
    for (const f of cleanup.reverse()) await f().catch(() => {});
  }
  console.log(`browser consumer test took ${secs()}`);
  return summary();
}

/** Runs one bundler in a child process; resolves to its { errors, warnings, nodeWarnings, ms }. */
function bundleInChild(name, app, out) {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(here, 'bundlers.mjs'), name, app, out], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) resolve({ errors: [`${name} crashed: ${err.message}\n${stderr}`], warnings: [], nodeWarnings: [], ms: 0 });
      else resolve(JSON.parse(stdout));
    });
  });
}

/** Static files of `mounts` (URL prefix → folder) on 127.0.0.1; nothing outside a mount is served. */
export function serve(mounts) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
  const srv = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    const file = prefix && normalize(join(mounts[prefix], path.slice(prefix.length)));
    if (!file || !file.startsWith(normalize(mounts[prefix]) + sep)) return void res.writeHead(404).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    srv.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${srv.address().port}`, close: () => new Promise((r) => { srv.closeAllConnections(); srv.close(r); }) })),
  );
}
