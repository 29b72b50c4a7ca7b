// For tests only (not exported from index.ts): a page script bundled from this
// package's sources for the browser (the `#platform` browser host), served from
// 127.0.0.1 with tfjs' wasm binaries, plainly and cross-origin isolated, and
// opened in Debian's Chromium through playwright-core.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** The served page in Chromium: open it plainly or cross-origin isolated; close it all at the end. */
export interface TestPages {
  /** Opens the page (COOP + COEP when `isolated`) and waits for `ready` to be defined on window; collects console messages and page errors. */
  open(isolated: boolean, ready: string): Promise<{ page: Page; console: string[]; errors: string[] }>;
  close(): Promise<void>;
}

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

/** Bundles `source` (JavaScript importing this package's sources relative to src/) as /page.js and serves it. */
export async function testPages(source: string): Promise<TestPages> {
  const dir = mkdtempSync(join(tmpdir(), 'backend-browser-'));
  const out = await build({
    stdin: { contents: source, resolveDir: here, loader: 'js', sourcefile: 'page.js' },
    bundle: true, write: false, format: 'esm', platform: 'browser', logLevel: 'error',
    // `#platform` is the browser host, as package.json's `imports` gives a browser bundle.
    alias: { '#platform': `${here}/platform/browser.ts` },
    external: ['worker_threads', 'os', 'fs', 'path', 'url', 'crypto', 'util', 'perf_hooks'],
  });
  writeFileSync(join(dir, 'page.js'), out.outputFiles[0]!.text);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
  const wasmDist = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) copyFileSync(join(wasmDist, f), join(dir, f));
  const servers = await Promise.all([serve(dir, false), serve(dir, true)]);
  const urls = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/`);
  const browser: Browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--no-first-run'] });
  return {
    async open(isolated, ready) {
      const page = await browser.newPage();
      const console: string[] = [];
      const errors: string[] = [];
      page.on('console', (m) => console.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(urls[isolated ? 1 : 0]!);
      await page.waitForFunction((name) => name in window, ready);
      return { page, console, errors };
    },
    async close() {
      await browser.close();
      for (const s of servers) s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
