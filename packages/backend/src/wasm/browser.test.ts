/**
 * Our SIMD kernels in Debian's Chromium (playwright-core), on tfjs' plain SIMD
 * build (a page that is not cross-origin isolated) and on its threaded-SIMD
 * build (COOP + COEP: a shared memory that the build imports and does not
 * export), on the main thread and in a Web Worker: `BackendInfo.wasm` must say
 * our kernels run, the call counter must show that they ran, and the result
 * must match the cpu backend's.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmEngineInfo } from './engine-info.js';

const here = dirname(fileURLToPath(import.meta.url));

// One bundle, run as the page's script and as a module worker: select wasm, convolve, count our kernel calls, compare with cpu.
const PAGE = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend, simdKernelCalls } from '../index.js';

const convCalls = () => { const c = simdKernelCalls(); return (c.conv2d ?? 0) + (c.winograd_conv2d ?? 0); };
const values = (n, k) => Float32Array.from({ length: n }, (_, i) => Math.sin(k * 1.7 + i * 0.731));

async function check() {
  setWasmPaths(new URL('/', self.location.href).href);
  const info = await selectBackend('wasm');
  const xs = [values(2 * 12 * 12 * 8, 1), [2, 12, 12, 8]];
  const fs = [values(3 * 3 * 8 * 16, 2), [3, 3, 8, 16]];
  const conv = () => tf.tidy(() => tf.conv2d(tf.tensor4d(...xs), tf.tensor4d(...fs), [1, 2], 'same').dataSync().slice());
  const before = convCalls();
  const got = conv();
  const ran = convCalls() - before;
  await tf.setBackend('cpu');
  const want = conv();
  let diff = 0, scale = 0;
  for (let i = 0; i < want.length; i++) { diff = Math.max(diff, Math.abs(got[i] - want[i])); scale = Math.max(scale, Math.abs(want[i])); }
  return { crossOriginIsolated: self.crossOriginIsolated, wasm: info.wasm, device: info.device, ran, relDiff: diff / scale, size: got.length };
}

if (typeof window === 'undefined') {
  self.onmessage = () => check().then((result) => self.postMessage({ result }), (e) => self.postMessage({ error: String(e && e.stack || e) }));
} else {
  window.check = check;
  window.checkInWorker = () => new Promise((resolve, reject) => {
    const w = new Worker('/page.js', { type: 'module' });
    w.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.result));
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage('go');
  });
}
`;

interface Result { crossOriginIsolated: boolean; wasm: WasmEngineInfo; device: string; ran: number; relDiff: number; size: number }

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

function serve(dir: string, isolated: boolean): Promise<Server> {
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1) || 'index.html';
    const headers: Record<string, string> = { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' };
    if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    let body: Buffer;
    try {
      body = readFileSync(join(dir, name.replace(/\.\./g, '')));
    } catch {
      return void res.writeHead(404).end(); // favicon.ico
    }
    res.writeHead(200, headers).end(body);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

describe('our SIMD kernels run in Chromium, isolated or not, main thread or worker (issue 26)', () => {
  let dir: string;
  let browser: Browser;
  const servers: Server[] = [];
  const urls: Record<'plain' | 'isolated', string> = { plain: '', isolated: '' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'backend-browser-'));
    const out = await build({
      stdin: { contents: PAGE, resolveDir: here, loader: 'js', sourcefile: 'page.js' },
      bundle: true, write: false, format: 'esm', platform: 'browser', logLevel: 'error',
      // `#platform` is the browser host, as package.json's `imports` gives a browser bundle.
      alias: { '#platform': `${here}/../platform/browser.ts` },
      external: ['worker_threads', 'os', 'fs', 'path', 'url', 'crypto', 'util', 'perf_hooks'],
    });
    writeFileSync(join(dir, 'page.js'), out.outputFiles[0]!.text);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
    const wasmDist = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) copyFileSync(join(wasmDist, f), join(dir, f));
    for (const kind of ['plain', 'isolated'] as const) {
      const server = await serve(dir, kind === 'isolated');
      servers.push(server);
      urls[kind] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    }
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of servers) s.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function run(kind: 'plain' | 'isolated', where: 'main' | 'worker'): Promise<Result> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(urls[kind]);
      await page.waitForFunction(() => 'check' in window);
      const result = await page.evaluate((w) => (w === 'main'
        ? (window as unknown as { check(): Promise<unknown> }).check()
        : (window as unknown as { checkInWorker(): Promise<unknown> }).checkInWorker()), where) as Result;
      expect(errors).toEqual([]);
      return result;
    } finally {
      await page.close();
    }
  }

  for (const kind of ['plain', 'isolated'] as const) {
    for (const where of ['main', 'worker'] as const) {
      it(`${kind === 'isolated' ? 'cross-origin isolated (tfjs threaded-SIMD build, shared memory)' : 'not isolated (tfjs SIMD build)'}, ${where === 'main' ? 'main thread' : 'Web Worker'}`, async () => {
        const r = await run(kind, where);
        expect(r.crossOriginIsolated).toBe(kind === 'isolated');
        expect(r.wasm.sharedMemory).toBe(kind === 'isolated');
        expect(r.wasm).toMatchObject({ simdKernels: true, simdKernelThreads: 1 });
        if (kind === 'plain') expect(r.wasm.xnnpackThreads).toBe(1);
        else expect(r.wasm.xnnpackThreads).toBeGreaterThanOrEqual(1);
        expect(r.device).toContain('our kernels on 1 thread');
        expect(r.ran).toBe(1); // one convolution, by our kernel (not XNNPACK)
        expect(r.size).toBe(2 * 12 * 6 * 16);
        expect(r.relDiff).toBeLessThan(1e-5);
      });
    }
  }
});
