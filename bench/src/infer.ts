// bench/infer: ResNet-50, 224×224, batch 1, inference latency with the same weights on
// every available tfjs backend, onnxruntime-node and PyTorch CPU, in one run.
//   pnpm bench:infer [--json] [--runs 10] [--warmup 2] [--backends wasm] [--no-torch] [--no-ort]
// Weights: torchvision's resnet50 initialisation (seeded), exported by
// bench/python/export_resnet50.py into bench/.cache (git-ignored, ~200 MB) on first use.
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { benchFlags, intFlag } from './args.js';
import { rowLabel, selectOrSkip } from './select.js';
import { runPython } from './torch.js';

interface Row { backend: string; model: string; batchSize: number; msMedian: number; msMin: number; maxAbsDiff?: number; device?: string }

const flags = benchFlags(process.argv.slice(2), 'usage: pnpm bench:infer [--json] [--runs 10] [--warmup 2] [--threads N] [--backends tensorflow-gpu,tensorflow,webgpu,wasm] [--allow-software] [--regen] [--wasm-threads 1|2] [--no-torch] [--no-ort]');
const { args, json, warmup, backends, log } = flags;
const runs = intFlag(args, 'runs', 10);
const threads = intFlag(args, 'threads', cpus().length);
const cache = fileURLToPath(new URL('../.cache/', import.meta.url));
tf.enableProdMode();

if (!existsSync(`${cache}resnet50.onnx`) || args.has('regen')) {
  log('exporting torchvision resnet50 to ONNX and safetensors (bench/.cache)…');
  const { result, note } = runPython('export_resnet50.py', [cache]);
  if (result == null) throw new Error(`cannot make the ResNet-50 files: ${note}`);
}
const f32 = (name: string) => { const b = readFileSync(`${cache}${name}`); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };
const inputNchw = f32('resnet50.input.bin');
const torchLogits = f32('resnet50.logits.bin');
const maxAbsDiff = (a: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - torchLogits[i]!)); return m; };
const stats = (times: number[]) => { const s = [...times].sort((a, b) => a - b); return { msMedian: round(s[Math.floor(s.length / 2)]!), msMin: round(s[0]!) }; };
const round = (v: number) => Math.round(v * 100) / 100;

async function timeRuns(run: () => Promise<void> | void): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times;
}

async function benchOrt(): Promise<Row | null> {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (err) {
    log(`onnxruntime-node: skipped (${(err as Error).message.split('\n')[0]})`);
    return null;
  }
  const session = await ort.InferenceSession.create(`${cache}resnet50.onnx`, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const feeds = { input: new ort.Tensor('float32', inputNchw, [1, 3, 224, 224]) };
  let out: Float32Array = new Float32Array();
  const times = await timeRuns(async () => { out = (await session.run(feeds)).logits!.data as Float32Array; });
  await session.release();
  return { backend: 'onnxruntime-node', model: 'resnet50', batchSize: 1, ...stats(times), maxAbsDiff: round(maxAbsDiff(out) * 1e4) / 1e4, device: `CPU, ${threads} threads` };
}

async function benchTfjs(name: string): Promise<Row | null> {
  const info = await selectOrSkip(name, flags);
  if (info == null) return null;
  const zoo = await import('@resnet/zoo');
  const model = zoo.createModel('resnet50');
  await zoo.loadWeights(model, readFileSync(`${cache}resnet50.safetensors`), { from: 'torchvision' });
  const x = tf.tidy(() => tf.transpose(tf.tensor4d(inputNchw, [1, 3, 224, 224]), [0, 2, 3, 1]));
  let out: Float32Array = new Float32Array();
  // Read back asynchronously: webgpu cannot read synchronously in Node.
  const times = await timeRuns(async () => {
    const y = model.predict(x) as tf.Tensor;
    out = (await y.data()) as Float32Array;
    y.dispose();
  });
  x.dispose();
  model.dispose();
  return { backend: rowLabel(info), model: 'resnet50', batchSize: 1, ...stats(times), maxAbsDiff: round(maxAbsDiff(out) * 1e4) / 1e4, device: info.device };
}

const rows: Row[] = [];
const emit = (r: Row | null) => {
  if (r == null) return;
  rows.push(r);
  if (json) console.log(JSON.stringify({ backend: r.backend, model: r.model, batchSize: r.batchSize, msMedian: r.msMedian }));
  else log(`${r.backend.padEnd(17)} ${r.msMedian.toFixed(1).padStart(8)} ms median (min ${r.msMin.toFixed(1)})${r.maxAbsDiff !== undefined ? `, logits max |Δ| vs PyTorch ${r.maxAbsDiff}` : ''}${r.device ? `; ${r.device}` : ''}`);
};
if (!args.has('no-ort')) emit(await benchOrt());
for (const name of backends) emit(await benchTfjs(name.trim()));
if (!args.has('no-torch')) {
  const { result, note } = runPython('infer_resnet50.py', ['--runs', String(runs), '--warmup', String(warmup), '--threads', String(threads)]);
  if (result == null) log(`pytorch-cpu: skipped (${note})`);
  else emit({ backend: 'pytorch-cpu', model: 'resnet50', batchSize: 1, msMedian: result.msMedian as number, msMin: result.msMin as number, device: `torch ${result.torch}, ${result.threads} threads` });
}
const ortRow = rows.find((r) => r.backend === 'onnxruntime-node');
if (ortRow && !json) for (const r of rows) if (r !== ortRow) log(`ratio ${r.backend}/onnxruntime-node latency: ${(r.msMedian / ortRow.msMedian).toFixed(2)}×`);
