// bench/browser: the demo's wasm path (tfjs wasm + @resnet/backend's kernels, in a
// Web Worker) in Debian's Chromium, served from 127.0.0.1 twice: plainly, and
// cross-origin isolated (COOP: same-origin, COEP: require-corp), where tfjs
// loads its threaded wasm build. Times a ResNet-20 training step and a ResNet-50
// batch-1 inference with our SIMD kernels and with XNNPACK alone, and the same
// ResNet-50 on onnxruntime-web's wasm EP (equal threads), in one run.
//   pnpm --filter resnet-bench browser [--rounds 3] [--steps 3] [--batch 32] [--runs 5] [--no-ort-web]
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { benchFlags, intFlag } from './args.js';
import { cpuLine } from './cpu.js';
import { median } from './timing.js';
import { runPython } from './torch.js';

const flags = benchFlags(process.argv.slice(2), 'usage: pnpm --filter resnet-bench browser [--rounds 3] [--steps 3] [--batch 32] [--runs 5] [--no-ort-web] [--json]');
const { args, log, json } = flags;
log(cpuLine());
const rounds = intFlag(args, 'rounds', 1);
const request = { trainSteps: intFlag(args, 'steps', 3), trainBatch: intFlag(args, 'batch', 32), inferRuns: intFlag(args, 'runs', 5) };

/**
 * `#platform` as a browser bundle of dist gets it (package.json `imports`, default
 * condition): the packages' browser host. tsconfig `paths` would give the Node one.
 */
const browserPlatform: esbuild.Plugin = {
  name: 'browser-platform',
  setup(build) {
    build.onResolve({ filter: /^#platform$/ }, (a) => {
      const pkg = /^(.*[\\/]packages[\\/][^\\/]+)[\\/]/.exec(a.importer)?.[1];
      return pkg == null ? undefined : { path: join(pkg, 'src', 'platform', 'browser.ts') };
    });
  },
};

// The page: a worker bundle (tfjs, @resnet/*) next to tfjs' wasm binaries.
const dir = mkdtempSync(join(tmpdir(), 'resnet-browser-bench-'));
await esbuild.build({
  plugins: [browserPlatform],
  entryPoints: [fileURLToPath(new URL('./browser/worker.ts', import.meta.url))], bundle: true, format: 'esm', platform: 'browser',
  outfile: join(dir, 'worker.js'), logLevel: 'error', define: { 'process.env.NODE_ENV': '"production"' },
  external: ['node:*', 'worker_threads', 'os', 'fs', 'fs/promises', 'path', 'url', 'crypto', 'v8', 'util', 'stream', 'http', 'https', 'zlib'],
});
const wasmDist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) copyFileSync(join(wasmDist, 'dist', f), join(dir, f));

// The peer: onnxruntime-web's wasm EP in a worker of its own, on the ResNet-50 bench:infer exports.
// Its bundle needs the condition below, else its worker threads would load the page's script.
const withOrt = !args.has('no-ort-web');
if (withOrt) {
  const cache = fileURLToPath(new URL('../.cache/', import.meta.url));
  if (!existsSync(`${cache}resnet50-nbatch.onnx`)) {
    log('exporting torchvision resnet50 to ONNX (bench/.cache)…');
    const { result, note } = runPython('export_resnet50.py', [cache]);
    if (result == null) throw new Error(`cannot make the ResNet-50 ONNX file: ${note} (or pass --no-ort-web)`);
  }
  copyFileSync(`${cache}resnet50-nbatch.onnx`, join(dir, 'resnet50-nbatch.onnx'));
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./browser/ort-worker.ts', import.meta.url))], bundle: true, format: 'esm', platform: 'browser',
    outfile: join(dir, 'ort-worker.js'), logLevel: 'error', conditions: ['onnxruntime-web-use-extern-wasm'],
    external: ['node:*', 'worker_threads', 'os', 'fs', 'path', 'url', 'crypto', 'util', 'stream', 'module'],
  });
  const ortDist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web')); // its dist/ (no ./package.json export)
  for (const f of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) copyFileSync(join(ortDist, f), join(dir, f));
}
writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><script>
window.runBench = (request, script = './worker.js') => new Promise((resolve, reject) => {
  const w = new Worker(script, { type: 'module' });
  w.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.result));
  w.onerror = (e) => reject(new Error(e.message));
  w.postMessage(request);
});
</script>`);

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
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
      const run = (script: string) => page.evaluate(([req, s]) => (window as unknown as { runBench(r: unknown, s: string): Promise<unknown> }).runBench(req, s), [request, script] as const);
      const result = (await run('./worker.js')) as Record<string, unknown>;
      if (withOrt) Object.assign(result, await run('./ort-worker.js'));
      await page.close();
      await new Promise((res) => server.close(res));
      results.push({ round: r + 1, isolated, ...result });
      if (json) console.log(JSON.stringify(results.at(-1)));
      else {
        const n = (k: string) => (result[k] as number).toFixed(0);
        log(`round ${r + 1}, ${isolated ? 'cross-origin isolated' : 'not isolated'} (crossOriginIsolated ${result.crossOriginIsolated}, tfjs wasm threads ${result.wasmThreads}, ${result.cores} cores): ` +
          `train step ${n('train_ours_ms')} ms with our kernels, ${n('train_xnnpack_ms')} ms XNNPACK only; ResNet-50 ${n('infer_ours_ms')} / ${n('infer_xnnpack_ms')} ms` +
          (withOrt ? `, onnxruntime-web ${n('ort_infer_ms')} ms on ${result.ortThreads} thread(s): ours / onnxruntime-web ${((result.infer_ours_ms as number) / (result.ort_infer_ms as number)).toFixed(2)}×` : ''));
      }
    }
  }
  if (!json && withOrt) {
    // Medians over the rounds, with each round's ratio range: the machine's speed drifts between rounds.
    for (const isolated of [false, true]) {
      const rows = results.filter((r) => r.isolated === isolated);
      const ms = (k: string) => median(rows.map((r) => r[k] as number));
      const ratios = rows.map((r) => (r.infer_ours_ms as number) / (r.ort_infer_ms as number));
      log(`${isolated ? 'isolated' : 'not isolated'}, ResNet-50 batch 1, median of ${rows.length} round(s): ours ${ms('infer_ours_ms').toFixed(0)} ms, ` +
        `XNNPACK only ${ms('infer_xnnpack_ms').toFixed(0)} ms, onnxruntime-web ${ms('ort_infer_ms').toFixed(0)} ms; ours / onnxruntime-web ${median(ratios).toFixed(2)}× ` +
        `(rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`);
    }
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
