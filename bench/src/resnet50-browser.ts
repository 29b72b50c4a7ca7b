// bench:resnet50-browser: ResNet-50 in Debian's headless Chromium, @resnet against
// onnxruntime-web (wasm EP), the same torchvision weights (safetensors for us,
// ONNX for it), each in a module Web Worker of its own page served from
// 127.0.0.1, plainly (1 thread each) and cross-origin isolated (COOP/COEP:
// 2 threads each). Per round, per isolation, per contestant (the order rotates):
// a fresh browser profile (nothing cached) loads the page cold, then a second
// page of the same profile loads it with the weights in the Cache API and
// times warm batches. Prints the load phases of each first prediction.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { benchFlags, intFlag } from './args.js';
import { rendererPeakRssMb } from './chromium-memory.js';
import { cpuLine } from './cpu.js';
import type { BenchRequest, BenchResult } from './browser-resnet50/protocol.js';
import { CACHE_DIR, RESNET50_FILES, ensureResnet50Files, maxRelDiff, readF32 } from './resnet50-files.js';
import { formatFigure, r2, r3, ratioSummary, Rounds } from './rounds.js';

const USAGE = `usage: pnpm bench:resnet50-browser [--rounds 3] [--runs 5] [--warmup 2] [--batch 1,8] [--only resnet,ort-web]
                                   [--isolation both|isolated|plain] [--timeout-s 600] [--json] [--regen]
ResNet-50 (224×224) in headless Chromium (/usr/bin/chromium, or $CHROMIUM), the same torchvision weights for both:
  resnet    @resnet/zoo registerPretrained (SHA-256) + downloadPretrained (Cache API) + createModel('resnet50') + loadWeights,
            fuseForInference, selectBackend('wasm') (tfjs threads and wasmThreads = the page's threads)
  ort-web   onnxruntime-web wasm EP (SIMD), numThreads = the page's threads; the ONNX bytes kept in the Cache API as transformers.js does
Pages: 'plain' (not isolated: 1 thread each) and 'isolated' (COOP/COEP, crossOriginIsolated: 2 threads each).
Every round, for each page kind and contestant: a fresh profile loads cold (nothing cached), then a second page loads
with the weights cached and times --runs warm runs per --batch after --warmup. Prints the CPU and its SIMD features,
the load phases (ms since navigation) of each first prediction, both sides' logits against PyTorch's and each other's,
the peak RSS of the tab's renderer process (Linux /proc), then medians over rounds with per-round ranges and
ratios @resnet / onnxruntime-web.
A load that has not answered after --timeout-s seconds fails the run (naming the contestant and page).
--json: the summary as one JSON object per figure on stdout ({ figure, median, min, max, rounds }); the rest on stderr.`;

const flags = benchFlags(process.argv.slice(2), USAGE);
const { args, warmup, log, json } = flags;
const rounds = intFlag(args, 'rounds', 3);
const runs = intFlag(args, 'runs', 5);
const batches = (args.get('batch') ?? '1,8').split(',').map((b) => {
  const n = Number(b);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--batch takes positive integers, e.g. 1,8; got '${b}'`);
  return n;
});
const CONTESTANTS = ['resnet', 'ort-web'] as const;
type Contestant = (typeof CONTESTANTS)[number];
const only = (args.get('only') ?? CONTESTANTS.join(',')).split(',').map((s) => s.trim()) as Contestant[];
for (const c of only) if (!CONTESTANTS.includes(c)) throw new Error(`--only: unknown contestant '${c}'; known: ${CONTESTANTS.join(', ')}`);
const timeoutMs = intFlag(args, 'timeout-s', 600) * 1000;
const isolation = args.get('isolation') ?? 'both';
const kinds = ({ both: [false, true], isolated: [true], plain: [false] } as Record<string, boolean[]>)[isolation];
if (kinds == null) throw new Error(`--isolation must be both, isolated or plain; got '${isolation}'`);

log(cpuLine());
ensureResnet50Files(args.has('regen'), log);
const torchLogits = readF32(RESNET50_FILES.logits);
const sha256 = createHash('sha256').update(readFileSync(CACHE_DIR + RESNET50_FILES.safetensors)).digest('hex');

// The site: one bundle per contestant (each page downloads only its own engine), the
// wasm files they fetch, and a page that runs the worker named in its query.
const site = mkdtempSync(join(tmpdir(), 'resnet50-browser-bench-'));
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// One esbuild build as an app would make it (code splitting: chunks loaded lazily, like
// the zoo's HDF5 reader, are never fetched). tsconfigRaw: {} keeps esbuild from applying
// packages' own tsconfig paths (backend's '#platform' -> its Node source) to their dist.
await esbuild.build({
  entryPoints: { 'resnet-worker': here('./browser-resnet50/resnet-worker.ts'), 'ort-web-worker': here('./browser-resnet50/ort-worker.ts') },
  bundle: true, splitting: true, format: 'esm', platform: 'browser', outdir: site, logLevel: 'error', minify: true, tsconfigRaw: {},
  // onnxruntime-web: its glue and wasm files stay separate files (else its threads load the bundle again; DESIGN.md).
  conditions: ['onnxruntime-web-use-extern-wasm'],
  define: { 'process.env.NODE_ENV': '"production"' },
  external: ['node:*', 'worker_threads', 'os', 'fs', 'fs/promises', 'path', 'url', 'crypto', 'v8', 'util', 'stream', 'http', 'https', 'zlib', 'module', 'child_process'],
});
const req = createRequire(import.meta.url);
const tfjsWasm = join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) copyFileSync(join(tfjsWasm, f), join(site, f));
const ortDist = dirname(req.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
for (const f of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) copyFileSync(join(ortDist, f), join(site, f));
writeFileSync(join(site, 'index.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script>
window.runBench = (worker, request) => new Promise((resolve, reject) => {
  const w = new Worker('./' + worker, { type: 'module' });
  w.onmessage = (e) => { w.terminate(); e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.result); };
  w.onerror = (e) => reject(new Error(e.message || 'worker failed to load'));
  w.postMessage({ request, pageOrigin: performance.timeOrigin });
});
</script>`);
const WEIGHTS: Record<string, string> = { 'weights/resnet50.safetensors': RESNET50_FILES.safetensors, 'weights/resnet50.onnx': RESNET50_FILES.onnx, 'weights/input.bin': RESNET50_FILES.input };

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
/** Serves the site; isolated adds COOP/COEP. Weights are never HTTP-cacheable (only the Cache API keeps them). */
function serve(isolated: boolean): Promise<{ server: Server; url: string }> {
  const server = createServer((request, res) => {
    const name = new URL(request.url ?? '/', 'http://x').pathname.slice(1) || 'index.html';
    const headers: Record<string, string> = { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' };
    if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    const file = WEIGHTS[name] != null ? CACHE_DIR + WEIGHTS[name] : join(site, name.replace(/\.\./g, ''));
    headers['cache-control'] = WEIGHTS[name] != null ? 'no-store' : 'max-age=3600';
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': String(body.byteLength) }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const figures = new Rounds();
/** Peak RSS (MB) of the tab's renderer over the cold load, the cached load and the warm runs, per round. */
const memory = new Rounds();
const phaseLines = new Map<string, string[]>();
const logitsOf = new Map<string, number[]>();
let version = '';

/** One contestant on one kind of page: a fresh profile, a cold load, then a cached load with warm runs. */
async function measure(c: Contestant, isolated: boolean, url: string, round: number): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'resnet50-browser-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: ['--no-sandbox'] });
  version ||= context.browser()?.version() ?? '';
  const threads = isolated ? 2 : 1;
  const kind = isolated ? 'isolated' : 'plain';
  let tabPeak = 0;
  try {
    for (const load of ['cold', 'cached'] as const) {
      const request: BenchRequest = {
        threads, weightsUrl: `${url}weights/${c === 'resnet' ? 'resnet50.safetensors' : 'resnet50.onnx'}`, sha256, inputUrl: `${url}weights/input.bin`,
        batches: load === 'cached' ? batches : [], warmup, runs,
      };
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log(`  [${c} page ${m.type()}] ${m.text()}`); });
      page.on('pageerror', (e) => log(`  [${c} page error] ${e.message}`));
      await page.goto(url);
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${c} on the ${kind} page (${load}) gave no result in ${timeoutMs / 1000} s (--timeout-s)`)), timeoutMs); });
      const result = (await Promise.race([
        page.evaluate(([w, r]) => (window as unknown as { runBench(w: string, r: unknown): Promise<unknown> }).runBench(w, r), [`${c}-worker.js`, request] as const),
        stalled,
      ]).finally(() => clearTimeout(timer))) as BenchResult;
      const rss = rendererPeakRssMb(profile);
      if (rss != null) tabPeak = Math.max(tabPeak, rss);
      await page.close();
      if (result.crossOriginIsolated !== isolated) throw new Error(`${c}: page crossOriginIsolated is ${result.crossOriginIsolated}, expected ${isolated}`);
      if (result.cached !== (load === 'cached')) throw new Error(`${c} ${kind} ${load}: the weights ${result.cached ? 'came from' : 'did not come from'} the Cache API`);
      const first = result.phases.at(-1)!.endMs;
      figures.add(`${kind} ${c} first prediction ${load}`, first);
      for (const [b, ms] of Object.entries(result.warmMs)) figures.add(`${kind} ${c} b${b} warm`, ms);
      let prev = 0;
      const phases = result.phases.map((p) => { const s = `${p.name} ${(p.endMs - prev).toFixed(0)}`; prev = p.endMs; return s; }).join(', ');
      const line = `round ${round}: ${phases} ms (first prediction at ${first.toFixed(0)} ms after navigation)`;
      phaseLines.set(`${kind} ${c} ${load}`, [...(phaseLines.get(`${kind} ${c} ${load}`) ?? []), line]);
      log(`round ${round} ${kind} ${c} ${load}: first prediction ${first.toFixed(0)} ms` + (load === 'cached' ? `; warm ${Object.entries(result.warmMs).map(([b, ms]) => `b${b} ${ms.toFixed(1)}`).join(', ')} ms` : '') + ` [${result.engine}]`);
      logitsOf.set(`${kind} ${c}`, result.logits);
    }
    if (tabPeak > 0) memory.add(`${kind} ${c} tab peak RSS`, tabPeak);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

try {
  for (let round = 1; round <= rounds; round++) {
    for (const isolated of kinds) {
      const { server, url } = await serve(isolated);
      try {
        const turn = only.map((_, i) => only[(i + round - 1) % only.length]!);
        for (const c of turn) await measure(c, isolated, url, round);
      } finally {
        await new Promise((res) => server.close(res));
      }
    }
  }
} finally {
  rmSync(site, { recursive: true, force: true });
}

log(`\nChromium ${version}, ResNet-50, median of ${rounds} round(s)${rounds > 1 ? ' (per-round range)' : ''}; plain page: 1 thread each, isolated: 2 threads each`);
for (const [k, logits] of logitsOf) log(`  logits ${k}: max relative difference vs PyTorch ${maxRelDiff(logits, torchLogits).toExponential(2)}`);
for (const kind of kinds.map((i) => (i ? 'isolated' : 'plain'))) {
  const a = logitsOf.get(`${kind} resnet`);
  const b = logitsOf.get(`${kind} ort-web`);
  if (a && b) log(`  logits ${kind} @resnet vs onnxruntime-web: max relative difference ${maxRelDiff(a, b).toExponential(2)}`);
}
log('load phases (each phase\'s own ms; the clock starts at navigation):');
for (const [k, lines] of phaseLines) for (const l of lines) log(`  ${k.padEnd(22)} ${l}`);
log(`figures (median over ${rounds} round(s)${rounds > 1 ? ', per-round range' : ''}; first prediction = ms from navigation to the first logits):`);
for (const s of figures.summary()) {
  log(`  ${s.key.padEnd(42)} ${formatFigure(s)}`);
  if (json) console.log(JSON.stringify({ figure: s.key, unit: 'ms', median: r2(s.median), min: r2(s.min), max: r2(s.max), rounds: s.values.map(r2) }));
}
if (memory.summary().length) log('peak resident set size of the tab\'s renderer process (page and workers), over the cold and cached loads and the warm runs:');
for (const s of memory.summary()) {
  log(`  ${s.key.padEnd(42)} ${formatFigure(s, 'MB', 0)}`);
  if (json) console.log(JSON.stringify({ figure: s.key, unit: 'MB', median: r2(s.median), min: r2(s.min), max: r2(s.max), rounds: s.values.map(r2) }));
}
for (const kind of kinds.map((i) => (i ? 'isolated' : 'plain'))) {
  for (const what of [...batches.map((b) => `b${b} warm`), 'first prediction cold', 'first prediction cached', 'tab peak RSS']) {
    const q = ratioSummary(what.endsWith('RSS') ? memory : figures, `${kind} resnet ${what}`, `${kind} ort-web ${what}`);
    if (q) log(`  ratio @resnet / onnxruntime-web, ${kind}, ${what}: ${formatFigure(q, '×', 2)}`);
    if (q && json) console.log(JSON.stringify({ figure: `ratio ${kind} ${what}`, unit: '×', median: r3(q.median), min: r3(q.min), max: r3(q.max), rounds: q.values.map(r3) }));
  }
}
