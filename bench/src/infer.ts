// bench/infer: ResNet-50, 224×224, inference latency at batch 1 and 8 with the same weights
// on every available tfjs backend, onnxruntime-node, onnxruntime-web's wasm EP (in Node: the
// same 128-bit SIMD as ours) and PyTorch CPU, in one run.
//   pnpm bench:infer [--json] [--runs 10] [--warmup 2] [--batch 1,8] [--rounds N] [--threads N] [--backends wasm] [--no-torch] [--no-ort] [--no-ort-web]
// Weights: torchvision's resnet50 initialisation (seeded), exported by
// bench/python/export_resnet50.py into bench/.cache (git-ignored, ~200 MB) on first use.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { fuseForInference } from '@resnet/blocks';
import { cpuLine } from './cpu.js';
import { CACHE_DIR, RESNET50_FILES, ensureResnet50Files, maxRelDiff, readF32, repeatBatch } from './resnet50-files.js';
import { benchFlags, intFlag } from './args.js';
import { peakRssMb } from './memory.js';
import { rowLabel, selectOrSkip } from './select.js';
import { applyVariant, wasmVariants } from './simd-flags.js';
import { median, timeRuns } from './timing.js';
import { runPython } from './torch.js';

interface Row {
  backend: string; model: string; batchSize: number; msMedian: number; msMin: number;
  /** Largest |logit − PyTorch's|, absolute and relative to PyTorch's largest |logit|. */
  maxAbsDiff?: number; maxRelDiff?: number; peakRssMb?: number; device?: string;
}

const flags = benchFlags(process.argv.slice(2), 'usage: pnpm bench:infer [--json] [--runs 10] [--warmup 2] [--batch 1,8] [--rounds N] [--threads N] ' +
  '[--backends tensorflow-gpu,tensorflow,webgpu,wasm] [--allow-software] [--regen] [--wasm-threads N] [--no-torch] [--no-ort] [--no-ort-web] ' +
  '[--winograd auto|0|2|4] [--fma on|off] [--cache on|off] [--gemm on|off] [--fusion on|off] [--simd on|off] [--wasm-variants default,fusion=off,winograd=0]');
const { args, json, warmup, backends, log } = flags;
log(cpuLine());
const runs = intFlag(args, 'runs', 10);
const rounds = intFlag(args, 'rounds', 1);
const threads = intFlag(args, 'threads', cpus().length);
const batches = (args.get('batch') ?? '1,8').split(',').map((b) => {
  const n = Number(b);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--batch takes positive integers, e.g. 1,8; got '${b}'`);
  return n;
});
const variants = wasmVariants(args);
tf.enableProdMode();

ensureResnet50Files(args.has('regen'), log);
const inputNchw = readF32(RESNET50_FILES.input);
const torchLogits = readF32(RESNET50_FILES.logits);
const torchScale = torchLogits.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
/** The fixed image repeated `batch` times (NCHW), and the comparison of `batch` rows of logits with PyTorch's. */
const batchInput = (batch: number) => repeatBatch(inputNchw, batch);
const logitsDiff = (a: ArrayLike<number>) => {
  const rel = maxRelDiff(a, torchLogits);
  return { maxAbsDiff: Number((rel * torchScale).toPrecision(2)), maxRelDiff: Number(rel.toPrecision(2)) };
};
const round2 = (v: number) => Math.round(v * 100) / 100;
const stats = (times: number[]) => { const s = [...times].sort((a, b) => a - b); return { msMedian: round2(s[Math.floor(s.length / 2)]!), msMin: round2(s[0]!) }; };


async function benchOrt(batch: number): Promise<Row | null> {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (err) {
    log(`onnxruntime-node: skipped (${(err as Error).message.split('\n')[0]})`);
    return null;
  }
  const session = await ort.InferenceSession.create(CACHE_DIR + RESNET50_FILES.onnx, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const feeds = { input: new ort.Tensor('float32', batchInput(batch), [batch, 3, 224, 224]) };
  let out: Float32Array = new Float32Array();
  const times = await timeRuns(async () => { out = (await session.run(feeds)).logits!.data as Float32Array; }, { warmup, runs });
  await session.release();
  return { backend: 'onnxruntime-node', model: 'resnet50', batchSize: batch, ...stats(times), ...logitsDiff(out), device: `CPU, ${threads} threads` };
}

type OrtWeb = typeof import('onnxruntime-web');
let ortWeb: Promise<OrtWeb | null> | null = null;

/** onnxruntime-web, loaded once with its wasm EP on `threads` threads (SIMD always: it ships no other build). */
function loadOrtWeb(): Promise<OrtWeb | null> {
  ortWeb ??= import('onnxruntime-web').then((ort) => {
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    return ort;
  }, (err: unknown) => {
    log(`onnxruntime-web: skipped (${(err as Error).message.split('\n')[0]})`);
    return null;
  });
  return ortWeb;
}

/** onnxruntime-web's wasm execution provider in Node: the wasm-against-wasm peer. */
async function benchOrtWeb(batch: number): Promise<Row | null> {
  const ort = await loadOrtWeb();
  if (ort == null) return null;
  const session = await ort.InferenceSession.create(readFileSync(CACHE_DIR + RESNET50_FILES.onnx), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const feeds = { input: new ort.Tensor('float32', batchInput(batch), [batch, 3, 224, 224]) };
  let out: Float32Array = new Float32Array();
  const times = await timeRuns(async () => { out = (await session.run(feeds)).logits!.data as Float32Array; }, { warmup, runs });
  await session.release();
  return { backend: 'onnxruntime-web', model: 'resnet50', batchSize: batch, ...stats(times), ...logitsDiff(out), peakRssMb: peakRssMb(),
    device: `wasm EP, SIMD, ${ort.env.wasm.numThreads} threads` };
}

/** Every variant of one tfjs backend at every batch size, the model loaded once. */
async function benchTfjs(name: string): Promise<Row[]> {
  const info = await selectOrSkip(name, flags);
  if (info == null) return [];
  const zoo = await import('@resnet/zoo');
  // Your own copy of a tag's weights, as the zoo's docs load it (kernels start at zero, not drawn at random), as bench:resnet50-node does.
  const model = await zoo.createModel('resnet50.tv2_in1k', { weights: readFileSync(CACHE_DIR + RESNET50_FILES.safetensors) });
  const fused = fuseForInference(model);
  const f = fused.fused;
  log(`${info.name}: fuseForInference folded ${f.batchNorms} BatchNorms and fused ${f.relus} ReLUs, ${f.residuals} residual additions, ${f.paddings} paddings`);
  const rows: Row[] = [];
  for (const batch of batches) {
    const x = tf.tidy(() => tf.transpose(tf.tensor4d(batchInput(batch), [batch, 3, 224, 224]), [0, 2, 3, 1]));
    for (const variant of name === 'wasm' ? variants : [variants[0]!]) {
      if (name === 'wasm') {
        applyVariant(variant);
        if (variants.some((v) => v.threads !== undefined)) await selectOrSkip(name, flags, variant.threads);
      }
      const predict = (t: tf.Tensor) => (variant.fusion ? fused.predict(t) : (model.predict(t) as tf.Tensor));
      let out: Float32Array = new Float32Array();
      // Read back asynchronously: webgpu cannot read synchronously in Node.
      const times = await timeRuns(async () => {
        const y = predict(x);
        out = (await y.data()) as Float32Array;
        y.dispose();
      }, { warmup, runs });
      const label = name === 'wasm' && variant.label ? `${rowLabel(info)} [${variant.label}]` : rowLabel(info);
      rows.push({ backend: label, model: 'resnet50', batchSize: batch, ...stats(times), ...logitsDiff(out), peakRssMb: peakRssMb(), device: info.device });
    }
    x.dispose();
  }
  if (name === 'wasm') applyVariant({ label: '', options: {}, fusion: true });
  fused.dispose();
  model.dispose();
  return rows;
}

/** One measurement of every contestant at every batch size, back to back. */
async function measureRound(): Promise<Row[]> {
  const rows: Row[] = [];
  if (!args.has('no-ort')) for (const batch of batches) { const r = await benchOrt(batch); if (r != null) rows.push(r); }
  if (!args.has('no-ort-web')) for (const batch of batches) { const r = await benchOrtWeb(batch); if (r != null) rows.push(r); }
  for (const name of backends) rows.push(...(await benchTfjs(name.trim())));
  if (!args.has('no-torch')) {
    for (const batch of batches) {
      const { result, note } = runPython('infer_resnet50.py', ['--runs', String(runs), '--warmup', String(warmup), '--threads', String(threads), '--batch', String(batch)]);
      if (result == null) log(`pytorch-cpu: skipped (${note})`);
      else rows.push({ backend: 'pytorch-cpu', model: 'resnet50', batchSize: batch, msMedian: result.msMedian as number, msMin: result.msMin as number, device: `torch ${result.torch}, ${result.threads} threads` });
    }
  }
  return rows;
}

// Rounds interleave the contestants (see bench:train); the summary takes medians of
// the per-round medians and of the per-round ratios to onnxruntime.
const results: Row[][] = [];
for (let r = 0; r < rounds; r++) {
  const rows = await measureRound();
  results.push(rows);
  if (rounds > 1) log(`round ${r + 1}/${rounds}: ${rows.map((row) => `${row.backend} b${row.batchSize} ${row.msMedian.toFixed(1)}`).join(', ')} ms`);
}
const key = (r: Row) => `${r.backend}@${r.batchSize}`;
const pick = (k: string) => results.map((rows) => rows.find((row) => key(row) === k)!);
for (const k of results[0]!.map(key)) {
  const rows = pick(k);
  const row = { ...rows[0]!, msMedian: round2(median(rows.map((x) => x.msMedian))), msMin: Math.min(...rows.map((x) => x.msMin)) };
  if (json) { console.log(JSON.stringify({ backend: row.backend, model: row.model, batchSize: row.batchSize, msMedian: row.msMedian })); continue; }
  const check = row.maxAbsDiff !== undefined ? `, logits vs PyTorch max |Δ| ${row.maxAbsDiff.toExponential(1)} (rel. ${row.maxRelDiff!.toExponential(1)})` : '';
  log(`${row.backend.padEnd(17)} batch ${String(row.batchSize).padEnd(2)} ${row.msMedian.toFixed(1).padStart(8)} ms median (min ${row.msMin.toFixed(1)})${check}` +
    `${row.peakRssMb ? `, peak RSS ${row.peakRssMb} MB` : ''}${row.device ? `; ${row.device}` : ''}${rounds > 1 ? ` [median of ${rounds}]` : ''}`);
}
if (!json) {
  for (const peer of ['onnxruntime-node', 'onnxruntime-web']) {
    for (const batch of batches) {
      const ort = results.map((rows) => rows.find((r) => r.backend === peer && r.batchSize === batch));
      if (ort.some((r) => r == null)) continue;
      for (const k of results[0]!.filter((r) => r.batchSize === batch && !r.backend.startsWith('onnxruntime')).map(key)) {
        const ratios = pick(k).map((r, i) => r.msMedian / ort[i]!.msMedian);
        const spread = rounds > 1 ? ` (median; rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : '';
        log(`ratio ${k.replace('@', ' batch ')}/${peer} latency: ${median(ratios).toFixed(2)}×${spread}`);
      }
    }
  }
}
