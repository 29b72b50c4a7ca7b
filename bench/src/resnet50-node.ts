// bench:resnet50-node: ResNet-50 inference latency in Node at equal threads, the
// same weights everywhere: @resnet (tfjs wasm + @resnet/backend's SIMD kernels,
// fuseForInference) against onnxruntime-web's wasm EP running in Node (the same
// 128-bit SIMD as ours), onnxruntime-node and PyTorch CPU (native: the widest
// SIMD the CPU has). Contestants take turns in every round (the order rotates);
// the summary gives medians over rounds with the per-round range.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { MAX_WASM_THREADS, selectBackend } from '@resnet/backend';
import { fuseForInference } from '@resnet/blocks';
import { benchFlags, intFlag } from './args.js';
import { cpuLine } from './cpu.js';
import { CACHE_DIR, RESNET50_FILES, ensureResnet50Files, maxRelDiff, readF32, repeatBatch } from './resnet50-files.js';
import { formatFigure, r2, r3, ratioSummary, Rounds } from './rounds.js';
import { median, timeRuns } from './timing.js';
import { runPython } from './torch.js';

const CONTESTANTS = ['resnet', 'ort-web', 'ort-node', 'pytorch'] as const;
type Contestant = (typeof CONTESTANTS)[number];

const USAGE = `usage: pnpm bench:resnet50-node [--rounds 3] [--runs 10] [--warmup 2] [--batch 1,8] [--threads N]
                                [--only resnet,ort-web,ort-node,pytorch] [--memory] [--json] [--regen]
ResNet-50 (224×224) inference latency in Node, the same torchvision weights for all:
  resnet    @resnet/zoo createModel('resnet50.tv2_in1k', { weights: <the safetensors file> }), fuseForInference, selectBackend('wasm')
  ort-web   onnxruntime-web (wasm EP, SIMD) in Node, env.wasm.numThreads = --threads
  ort-node  onnxruntime-node (CPU EP), intraOpNumThreads = --threads
  pytorch   torchvision resnet50 in /usr/bin/python3 (torch.set_num_threads(--threads)); a new process per figure
Every round measures every contestant once (median of --runs runs after --warmup), in a rotating order.
Prints the CPU and its SIMD features, each contestant's logits against PyTorch's (max relative difference),
per-round lines, then medians over rounds with per-round ranges and ratios to onnxruntime-web and -node.
--threads defaults to the cores (at most ${MAX_WASM_THREADS}, the most our wasm kernels use); all contestants get the same number.
--memory: afterwards, each contestant once more in a process of its own (load, then --runs predictions per batch):
  its peak resident set size (Node: process.resourceUsage().maxRSS; PyTorch: ru_maxrss).
--json: the summary as one JSON object per figure on stdout ({ figure, median, min, max, rounds }); the rest on stderr.`;

const flags = benchFlags(process.argv.slice(2), USAGE);
const { args, warmup, log, json } = flags;
const rounds = intFlag(args, 'rounds', 3);
const runs = intFlag(args, 'runs', 10);
const threads = intFlag(args, 'threads', Math.min(MAX_WASM_THREADS, cpus().length));
if (threads > MAX_WASM_THREADS) throw new Error(`--threads must be from 1 to ${MAX_WASM_THREADS} (the most @resnet's wasm kernels use, so that all run at equal threads); got ${threads}`);
const batches = (args.get('batch') ?? '1,8').split(',').map((b) => {
  const n = Number(b);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--batch takes positive integers, e.g. 1,8; got '${b}'`);
  return n;
});
const only = (args.get('only') ?? CONTESTANTS.join(',')).split(',').map((s) => s.trim());
for (const c of only) if (!(CONTESTANTS as readonly string[]).includes(c)) throw new Error(`--only: unknown contestant '${c}'; known: ${CONTESTANTS.join(', ')}`);

const child = args.get('child-memory') as Contestant | undefined;
if (child == null) log(cpuLine());
log(`Node ${process.version}; ResNet-50 batch ${batches.join(' and ')}, ${threads} thread${threads > 1 ? 's' : ''} each, ${rounds} round(s) of ${runs} runs after ${warmup} warm-up`);
ensureResnet50Files(args.has('regen'), log);
const image = readF32(RESNET50_FILES.input);
const torchLogits = readF32(RESNET50_FILES.logits);

/** A loaded contestant: runs one batch and returns its logits (PyTorch: times itself in its own process). */
interface Runner {
  label: string;
  run?: (batch: number) => Promise<Float32Array>;
  /** PyTorch: one median of `runs` runs in a fresh process. */
  timeOutOfProcess?: (batch: number) => number | null;
  dispose: () => Promise<void>;
}

async function loadResnet(): Promise<Runner> {
  const info = await selectBackend('wasm', { wasmThreads: threads, warn: log });
  tf.enableProdMode();
  const zoo = await import('@resnet/zoo');
  const { readFileSync } = await import('node:fs');
  // Your own copy of a tag's weights, as the zoo's docs load it (the kernels start at zero, not drawn at random).
  const model = await zoo.createModel('resnet50.tv2_in1k', { weights: readFileSync(CACHE_DIR + RESNET50_FILES.safetensors) });
  const fused = fuseForInference(model);
  const inputs = new Map(batches.map((b) => [b, tf.tidy(() => tf.transpose(tf.tensor4d(repeatBatch(image, b), [b, 3, 224, 224]), [0, 2, 3, 1]))]));
  return {
    label: `@resnet wasm: ${info.device}`,
    run: async (b) => {
      const y = fused.predict(inputs.get(b)!);
      const out = (await y.data()) as Float32Array;
      y.dispose();
      return out;
    },
    dispose: async () => { tf.dispose([...inputs.values()]); fused.dispose(); model.dispose(); },
  };
}

async function loadOrtWeb(): Promise<Runner> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.simd = true;
  const { readFileSync } = await import('node:fs');
  const session = await ort.InferenceSession.create(readFileSync(CACHE_DIR + RESNET50_FILES.onnx), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  return {
    label: `onnxruntime-web ${ort.env.versions.web ?? ''} wasm EP in Node, numThreads ${threads}`,
    run: async (b) => (await session.run({ input: new ort.Tensor('float32', repeatBatch(image, b), [b, 3, 224, 224]) })).logits!.data as Float32Array,
    dispose: () => session.release(),
  };
}

async function loadOrtNode(): Promise<Runner> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(CACHE_DIR + RESNET50_FILES.onnx, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  return {
    label: `onnxruntime-node ${ort.env.versions.node ?? ''} CPU EP, intraOpNumThreads ${threads}`,
    run: async (b) => (await session.run({ input: new ort.Tensor('float32', repeatBatch(image, b), [b, 3, 224, 224]) })).logits!.data as Float32Array,
    dispose: () => session.release(),
  };
}

function pytorch(): Runner {
  return {
    label: `PyTorch CPU (/usr/bin/python3), ${threads} threads`,
    timeOutOfProcess: (b) => {
      const { result, note } = runPython('infer_resnet50.py', ['--runs', String(runs), '--warmup', String(warmup), '--threads', String(threads), '--batch', String(b)]);
      if (result == null) { log(`pytorch: skipped (${note})`); return null; }
      return result.msMedian as number;
    },
    dispose: async () => {},
  };
}

const loaders: Record<Contestant, () => Promise<Runner> | Runner> = { resnet: loadResnet, 'ort-web': loadOrtWeb, 'ort-node': loadOrtNode, pytorch };

// --child-memory <contestant>: the child process of --memory; prints one JSON line and exits.
if (child != null) {
  const r = await loaders[child]();
  for (const b of batches) for (let i = 0; i < runs; i++) await r.run!(b);
  console.log(JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
  process.exit(0);
}

/** Peak RSS of `c` alone in a fresh process (the same script, or PyTorch's), or the reason it failed. */
function peakRss(c: Contestant): number | string {
  const r = c === 'pytorch'
    ? runPython('memory_resnet50.py', ['--threads', String(threads), '--batch', batches.join(','), '--runs', String(runs)])
    : (() => {
      const p = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child-memory', c, '--threads', String(threads), '--batch', batches.join(','), '--runs', String(runs)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const line = p.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      return line && p.status === 0 ? { result: JSON.parse(line) as Record<string, unknown>, note: '' } : { result: null, note: (p.stderr || '').trim().split('\n').slice(-2).join(' | ') };
    })();
  return r.result == null ? r.note : (r.result.peakRssMb as number);
}

const runners = new Map<Contestant, Runner>();
for (const c of only as Contestant[]) {
  try {
    const r = await loaders[c]();
    runners.set(c, r);
    log(`${c}: ${r.label}`);
    if (r.run) log(`${c}: logits vs PyTorch's, max relative difference ${maxRelDiff(await r.run(1), torchLogits).toExponential(2)} (batch 1)`);
  } catch (err) {
    log(`${c}: skipped (${(err as Error).message.split('\n')[0]})`);
  }
}

const figures = new Rounds();
const order = [...runners.keys()];
for (let round = 0; round < rounds; round++) {
  const turn = order.map((_, i) => order[(i + round) % order.length]!);
  const line: string[] = [];
  for (const c of turn) {
    const r = runners.get(c)!;
    for (const b of batches) {
      const ms = r.run ? median(await timeRuns(() => r.run!(b), { warmup, runs })) : r.timeOutOfProcess!(b);
      if (ms == null) continue;
      figures.add(`${c} b${b}`, ms);
      line.push(`${c} b${b} ${ms.toFixed(1)}`);
    }
  }
  log(`round ${round + 1}/${rounds} (order ${turn.join(', ')}): ${line.join(', ')} ms`);
}
for (const r of runners.values()) await r.dispose();

log(`\nResNet-50 latency, ${threads} thread(s), median of ${rounds} round(s)${rounds > 1 ? ' (per-round range)' : ''}:`);
for (const s of figures.summary()) {
  log(`  ${s.key.padEnd(12)} ${formatFigure(s)}`);
  if (json) console.log(JSON.stringify({ figure: s.key, unit: 'ms', threads, median: r2(s.median), min: r2(s.min), max: r2(s.max), rounds: s.values.map(r2) }));
}
for (const b of batches) {
  for (const ref of ['ort-web', 'ort-node', 'pytorch'] as const) {
    const q = ratioSummary(figures, `resnet b${b}`, `${ref} b${b}`);
    if (q) log(`  ratio @resnet / ${ref} batch ${b}: ${formatFigure(q, '×', 2)}`);
    if (q && json) console.log(JSON.stringify({ figure: `ratio resnet/${ref} b${b}`, unit: '×', threads, median: r3(q.median), min: r3(q.min), max: r3(q.max), rounds: q.values.map(r3) }));
  }
}

if (args.has('memory')) {
  log(`\npeak resident set size, each contestant alone in a new process (load, then ${runs} prediction(s) at batch ${batches.join(' and ')}), ${threads} thread(s):`);
  for (const c of only as Contestant[]) {
    const mb = peakRss(c);
    log(`  ${c.padEnd(9)} ${typeof mb === 'number' ? `${mb} MB` : `failed: ${mb}`}`);
    if (json && typeof mb === 'number') console.log(JSON.stringify({ figure: `${c} peak RSS`, unit: 'MB', threads, value: mb }));
  }
}
