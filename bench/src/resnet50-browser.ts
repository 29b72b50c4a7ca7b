// bench:resnet50-browser: ResNet-50 in Debian's headless Chromium, @resnet against
// onnxruntime-web (wasm EP), the same torchvision weights (safetensors for us,
// ONNX for it), each in a module Web Worker of its own page served from
// 127.0.0.1, plainly (1 thread each) and cross-origin isolated (COOP/COEP:
// 2 threads each). Per round, per isolation, per contestant (the order rotates):
// a fresh browser profile (nothing cached) loads the page cold, then a second
// page of the same profile loads it with the weights in the Cache API and
// times warm batches. Ours also loads cold from the fp16 and q8 variants of the
// same file (each in a fresh profile). Prints the load phases of each first
// prediction and the bytes each cold page load downloaded.
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
import { watchRendererPeak } from './chromium-memory.js';
import { cpuLine } from './cpu.js';
import type { BenchRequest, BenchResult } from './browser-resnet50/protocol.js';
import type { WeightDtype } from '@resnet/zoo';
import { CACHE_DIR, RESNET50_FILES, RESNET50_VARIANTS, ensureResnet50Files, ensureResnet50Variants, maxRelDiff, readF32 } from './resnet50-files.js';
import { formatFigure, r2, r3, ratioSummary, Rounds } from './rounds.js';

const USAGE = `usage: pnpm bench:resnet50-browser [--rounds 3] [--runs 5] [--warmup 2] [--batch 1,8] [--only resnet,ort-web]
                                   [--isolation both|isolated|plain] [--dtypes fp32,fp16,q8] [--timeout-s 600] [--json] [--regen]
ResNet-50 (224×224) in headless Chromium (/usr/bin/chromium, or $CHROMIUM), the same torchvision weights for both:
  resnet    @resnet/zoo registerPretrained (SHA-256, fp16/q8 variants) + createModel(tag, { dtype, backendReady: selectBackend('wasm') })
            (the weights read from the Cache API or downloaded while the backend starts, then build + load), fuseForInference
            (tfjs threads and wasmThreads = the page's threads)
  ort-web   onnxruntime-web wasm EP (SIMD), numThreads = the page's threads; the ONNX bytes kept in the Cache API as transformers.js does
Pages: 'plain' (not isolated: 1 thread each) and 'isolated' (COOP/COEP, crossOriginIsolated: 2 threads each).
Every round, for each page kind and contestant: a fresh profile loads cold (nothing cached), then a second page loads
with the weights cached and times --runs warm runs per --batch after --warmup. --dtypes (default fp32,fp16,q8): fp16 and q8
add, for @resnet only, a cold load (fresh profile) of the fp16 / q8 variant made from the same safetensors file by the zoo's convertWeights
(bench/.cache/resnet50.{fp16,q8}.safetensors); the order of all runs rotates every round. The bytes each cold page
load downloaded (weights file, and all requests of the page) are counted by the server. Prints the CPU and its SIMD features,
the bytes each cold load downloaded, the load phases of each first prediction (in the order they ended, the clock
starting at navigation), both sides' logits against PyTorch's and each other's,
the peak RSS of the tab's renderer process (Linux /proc: VmHWM, and VmRSS sampled every 20 ms, as Chromium resets VmHWM), then medians over rounds with per-round ranges and
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
const DTYPES: readonly WeightDtype[] = ['fp32', 'fp16', 'q8'];
const dtypes = (args.get('dtypes') ?? DTYPES.join(',')).split(',').map((s) => s.trim()) as WeightDtype[];
for (const d of dtypes) if (!DTYPES.includes(d)) throw new Error(`--dtypes: unknown dtype '${d}'; known: ${DTYPES.join(', ')}`);
const isolation = args.get('isolation') ?? 'both';
const kinds = ({ both: [false, true], isolated: [true], plain: [false] } as Record<string, boolean[]>)[isolation];
if (kinds == null) throw new Error(`--isolation must be both, isolated or plain; got '${isolation}'`);

log(cpuLine());
ensureResnet50Files(args.has('regen'), log);
const torchLogits = readF32(RESNET50_FILES.logits);
ensureResnet50Variants(args.has('regen'), log);
const sha256Of = (name: string) => createHash('sha256').update(readFileSync(CACHE_DIR + name)).digest('hex');
const sha256 = sha256Of(RESNET50_FILES.safetensors);
const variantSha256 = { fp16: sha256Of(RESNET50_VARIANTS.fp16), q8: sha256Of(RESNET50_VARIANTS.q8) };

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
const WEIGHTS: Record<string, string> = {
  'weights/resnet50.safetensors': RESNET50_FILES.safetensors,
  'weights/resnet50.fp16.safetensors': RESNET50_VARIANTS.fp16,
  'weights/resnet50.q8.safetensors': RESNET50_VARIANTS.q8,
  'weights/resnet50.onnx': RESNET50_FILES.onnx,
  'weights/input.bin': RESNET50_FILES.input,
};
/** Bytes the server sent per path since the last reset (one page load). */
const served = new Map<string, number>();

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
    served.set(name, (served.get(name) ?? 0) + body.byteLength);
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
/** Bytes a cold page load downloaded: the weights file, and every request of the page (same every round). */
const bytesOf = new Map<string, { weights: number; total: number }>();
/** One run of a round: a contestant and (ours) the weights' dtype; fp32 runs also load cached. */
interface Run {
  c: Contestant;
  dtype: WeightDtype;
}
const runName = (r: Run) => (r.dtype === 'fp32' ? r.c : `${r.c} ${r.dtype}`);
let version = '';

/**
 * One contestant on one kind of page: a fresh profile, a cold load, then (fp32) a cached
 * load with warm runs; a variant (fp16 / q8) loads cold only.
 */
async function measure({ c, dtype }: Run, isolated: boolean, url: string, round: number): Promise<void> {
  const name = runName({ c, dtype });
  const profile = mkdtempSync(join(tmpdir(), 'resnet50-browser-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: ['--no-sandbox'] });
  version ||= context.browser()?.version() ?? '';
  const threads = isolated ? 2 : 1;
  const kind = isolated ? 'isolated' : 'plain';
  let tabPeak = 0;
  try {
    for (const load of dtype === 'fp32' ? (['cold', 'cached'] as const) : (['cold'] as const)) {
      const request: BenchRequest = {
        threads, weightsUrl: `${url}weights/${c === 'resnet' ? 'resnet50.safetensors' : 'resnet50.onnx'}`, sha256, inputUrl: `${url}weights/input.bin`,
        dtype,
        variants: { fp16: { url: `${url}weights/resnet50.fp16.safetensors`, sha256: variantSha256.fp16 }, q8: { url: `${url}weights/resnet50.q8.safetensors`, sha256: variantSha256.q8 } },
        batches: load === 'cached' ? batches : [], warmup, runs,
      };
      served.clear();
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log(`  [${c} page ${m.type()}] ${m.text()}`); });
      page.on('pageerror', (e) => log(`  [${c} page error] ${e.message}`));
      const watch = watchRendererPeak(profile);
      let rss: number | null = null;
      await page.goto(url);
      const weightsFile = c === 'ort-web' ? 'weights/resnet50.onnx' : dtype === 'fp32' ? 'weights/resnet50.safetensors' : `weights/resnet50.${dtype}.safetensors`;
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${c} on the ${kind} page (${load}) gave no result in ${timeoutMs / 1000} s (--timeout-s)`)), timeoutMs); });
      const result = (await Promise.race([
        page.evaluate(([w, r]) => (window as unknown as { runBench(w: string, r: unknown): Promise<unknown> }).runBench(w, r), [`${c}-worker.js`, request] as const),
        stalled,
      ]).finally(() => {
        clearTimeout(timer);
        rss = watch.stop();
      })) as BenchResult;
      if (rss != null) tabPeak = Math.max(tabPeak, rss);
      await page.close();
      if (result.crossOriginIsolated !== isolated) throw new Error(`${c}: page crossOriginIsolated is ${result.crossOriginIsolated}, expected ${isolated}`);
      if (result.cached !== (load === 'cached')) throw new Error(`${c} ${kind} ${load}: the weights ${result.cached ? 'came from' : 'did not come from'} the Cache API`);
      const first = result.phases.at(-1)!.endMs;
      figures.add(`${kind} ${name} first prediction ${load}`, first);
      for (const [b, ms] of Object.entries(result.warmMs)) figures.add(`${kind} ${name} b${b} warm`, ms);
      if (load === 'cold') bytesOf.set(`${kind} ${name}`, { weights: served.get(weightsFile) ?? 0, total: [...served.values()].reduce((a, b) => a + b, 0) });
      if (load === 'cached' && served.has(weightsFile)) throw new Error(`${name} ${kind} cached: the weights were downloaded again`);
      let prev = 0;
      const phases = result.phases.map((p) => { const s = `${p.name} ${(p.endMs - prev).toFixed(0)}`; prev = p.endMs; return s; }).join(', ');
      const line = `round ${round}: ${phases} ms (first prediction at ${first.toFixed(0)} ms after navigation)`;
      phaseLines.set(`${kind} ${name} ${load}`, [...(phaseLines.get(`${kind} ${name} ${load}`) ?? []), line]);
      log(`round ${round} ${kind} ${name} ${load}: first prediction ${first.toFixed(0)} ms` + (load === 'cached' ? `; warm ${Object.entries(result.warmMs).map(([b, ms]) => `b${b} ${ms.toFixed(1)}`).join(', ')} ms` : '') +
        (rss != null ? `; tab peak RSS so far ${Math.round(rss)} MB` : '') + ` [${result.engine}]`);
      logitsOf.set(`${kind} ${name}`, result.logits);
    }
    if (tabPeak > 0) memory.add(`${kind} ${name} tab peak RSS`, tabPeak);
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
        const all: Run[] = [
          ...only.map((c) => ({ c, dtype: 'fp32' as const })),
          ...(only.includes('resnet') ? dtypes.filter((d) => d !== 'fp32').map((dtype) => ({ c: 'resnet' as const, dtype })) : []),
        ];
        const turn = all.map((_, i) => all[(i + round - 1) % all.length]!);
        for (const r of turn) await measure(r, isolated, url, round);
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
  for (const d of ['fp16', 'q8']) {
    const v = logitsOf.get(`${kind} resnet ${d}`);
    if (a && v) log(`  logits ${kind} @resnet ${d} vs @resnet fp32: max relative difference ${maxRelDiff(v, a).toExponential(2)}`);
  }
}
log('bytes downloaded by each cold page load (weights file; all requests of the page: page, scripts, wasm, input, weights):');
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
for (const [k, b] of bytesOf) {
  log(`  ${k.padEnd(24)} weights ${mb(b.weights)}, page total ${mb(b.total)}`);
  if (json) console.log(JSON.stringify({ figure: `${k} cold bytes downloaded`, unit: 'bytes', weights: b.weights, total: b.total }));
}
log("load phases (ms from the previous phase's end, in the order they ended; the clock starts at navigation; @resnet's backend start and weights read run at once):");
for (const [k, lines] of phaseLines) for (const l of lines) log(`  ${k.padEnd(27)} ${l}`);
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
  for (const d of ['fp16', 'q8']) {
    const q = ratioSummary(figures, `${kind} resnet ${d} first prediction cold`, `${kind} ort-web first prediction cold`);
    if (q) log(`  ratio @resnet ${d} / onnxruntime-web fp32, ${kind}, first prediction cold: ${formatFigure(q, '×', 2)}`);
    if (q && json) console.log(JSON.stringify({ figure: `ratio ${kind} ${d} first prediction cold`, unit: '×', median: r3(q.median), min: r3(q.min), max: r3(q.max), rounds: q.values.map(r3) }));
  }
}
