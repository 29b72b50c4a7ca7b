// bench/browser: the demo's wasm path (tfjs wasm + @resnet/backend's kernels, in a
// Web Worker) in Debian's Chromium, served from 127.0.0.1 twice: plainly, and
// cross-origin isolated (COOP: same-origin, COEP: require-corp), where tfjs
// loads its threaded wasm build. Times a ResNet-20 training step and a ResNet-50
// batch-1 inference with our SIMD kernels and with XNNPACK alone, in one run.
//   pnpm --filter resnet-bench browser [--rounds 3] [--steps 3] [--batch 32] [--runs 5]
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { benchFlags, intFlag } from './args.js';

const flags = benchFlags(process.argv.slice(2), 'usage: pnpm --filter resnet-bench browser [--rounds 3] [--steps 3] [--batch 32] [--runs 5] [--json]');
const { args, log, json } = flags;
const rounds = intFlag(args, 'rounds', 1);
const request = { trainSteps: intFlag(args, 'steps', 3), trainBatch: intFlag(args, 'batch', 32), inferRuns: intFlag(args, 'runs', 5) };

// The page: a worker bundle (tfjs, @resnet/*) next to tfjs' wasm binaries.
const dir = mkdtempSync(join(tmpdir(), 'resnet-browser-bench-'));
await esbuild.build({
  entryPoints: [fileURLToPath(new URL('./browser/worker.ts', import.meta.url))], bundle: true, format: 'esm', platform: 'browser',
  outfile: join(dir, 'worker.js'), logLevel: 'error', define: { 'process.env.NODE_ENV': '"production"' },
  external: ['node:*', 'worker_threads', 'os', 'fs', 'fs/promises', 'path', 'url', 'crypto', 'v8', 'util', 'stream', 'http', 'https', 'zlib'],
});
const wasmDist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) copyFileSync(join(wasmDist, 'dist', f), join(dir, f));
writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><script>
window.runBench = (request) => new Promise((resolve, reject) => {
  const w = new Worker('./worker.js', { type: 'module' });
  w.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.result));
  w.onerror = (e) => reject(new Error(e.message));
  w.postMessage(request);
});
</script>`);

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
function serve(isolated: boolean): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1) || 'index.html';
    const headers: Record<string, string> = { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' };
    if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    try {
      const body = readFileSync(join(dir, name.replace(/\.\./g, '')));
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` });
  }));
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
log(`browser bench: Chromium ${browser.version()}, ResNet-20 training step (batch ${request.trainBatch}) and ResNet-50 inference (batch 1), wasm`);
const results: Array<Record<string, unknown>> = [];
try {
  for (let r = 0; r < rounds; r++) {
    for (const isolated of [false, true]) {
      const { server, url } = await serve(isolated);
      const page = await browser.newPage();
      await page.goto(url);
      const result = (await page.evaluate((req) => (window as unknown as { runBench(r: unknown): Promise<unknown> }).runBench(req), request)) as Record<string, unknown>;
      await page.close();
      await new Promise((res) => server.close(res));
      results.push({ round: r + 1, isolated, ...result });
      if (json) console.log(JSON.stringify(results.at(-1)));
      else {
        const n = (k: string) => (result[k] as number).toFixed(0);
        log(`round ${r + 1}, ${isolated ? 'cross-origin isolated' : 'not isolated'} (crossOriginIsolated ${result.crossOriginIsolated}, tfjs wasm threads ${result.wasmThreads}, ${result.cores} cores): ` +
          `train step ${n('train_ours_ms')} ms with our kernels, ${n('train_xnnpack_ms')} ms XNNPACK only; ResNet-50 ${n('infer_ours_ms')} / ${n('infer_xnnpack_ms')} ms`);
      }
    }
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
