// bench/train: ResNet-20 (32×32×3, batch 128) training throughput with momentum SGD
// on every available tfjs backend, and PyTorch CPU in the same run; --model
// resnet18|resnet34|resnet50 trains that ImageNet net instead (224×224×3, 1000
// classes, batch 8), against torchvision's.
//   pnpm bench:train [--json] [--model resnet20] [--steps 5] [--warmup 2] [--batch 128] [--backends wasm,tensorflow] [--parallel 2] [--rounds 3] [--threads N] [--no-torch]
// The pure-JS cpu backend is measured only when named (--backends cpu): a step takes minutes.
import * as tf from '@tensorflow/tfjs';
import { cpuLine } from './cpu.js';
import { benchFlags, intFlag } from './args.js';
import { readMemory, type MemoryReading } from './memory.js';
import { createModel } from '@resnet/zoo';
import { benchParallel } from './parallel/driver.js';
import { rowLabel, selectOrSkip } from './select.js';
import { applyVariant, wasmVariants, type WasmVariant } from './simd-flags.js';
import { median } from './timing.js';
import { runPython } from './torch.js';
import { trainNet } from './nets.js';

interface Row {
  backend: string; model: string; batchSize: number; imagesPerSec: number; msPerStep: number; cpuMsPerStep?: number; peakRssMb?: number;
  device?: string; note?: string;
}

const flags = benchFlags(process.argv.slice(2), 'usage: pnpm bench:train [--json] [--model resnet20|resnet18|resnet34|resnet50] [--steps 5] [--warmup 2] [--batch 128 (8 for ImageNet nets)] [--backends tensorflow-gpu,tensorflow,webgpu,wasm] [--allow-software] ' +
  '[--parallel 2] [--rounds N] [--threads N] [--wasm-threads N] [--torch-threads N] [--no-torch] [--memory-trace N] ' +
  '[--winograd auto|0|2|4] [--fma on|off] [--cache on|off] [--gemm on|off] [--simd on|off] [--wasm-variants default,winograd=0,fma=off+cache=off]');
const { args, json, warmup, backends, log } = flags;
log(cpuLine());
const steps = intFlag(args, 'steps', 5);
const modelName = args.get('model') ?? 'resnet20';
const net = trainNet(modelName);
const batch = intFlag(args, 'batch', net.batch);
tf.enableProdMode();

const variants = wasmVariants(args);
const memoryTrace = args.has('memory-trace') ? intFlag(args, 'memory-trace', 100) : 0;

async function benchTfjs(name: string, variant: WasmVariant): Promise<Row | null> {
  const info = await selectOrSkip(name, flags, name === 'wasm' ? variant.threads : undefined);
  if (info == null) return null;
  if (name === 'wasm') applyVariant(variant);
  const [model, label] = [createModel(modelName) as tf.LayersModel, modelName]; // a name without weights builds at once
  const opt = tf.train.momentum(0.1, 0.9);
  const x = tf.randomNormal([batch, net.size, net.size, 3]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, net.classes, 'int32'), net.classes);
  // Read back asynchronously: webgpu cannot read synchronously in Node.
  const step = async () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    await loss.data();
    loss.dispose();
  };
  for (let i = 0; i < warmup; i++) await step();
  const before = tf.memory().numTensors;
  const trace: MemoryReading[] = memoryTrace > 0 ? [readMemory(0)] : [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) {
    await step();
    if (memoryTrace > 0 && i % memoryTrace === 0) {
      const m = readMemory(i);
      trace.push(m);
      log(`  ${info.name} step ${m.step}: ${m.tensors} tensors, wasm heap ${m.wasmHeapMb} MB, RSS ${m.rssMb} MB (peak ${m.peakRssMb} MB)`);
    }
  }
  const ms = (performance.now() - t0) / steps;
  const c = process.cpuUsage(c0);
  const leaked = tf.memory().numTensors - before;
  if (trace.length > 2) {
    // Growth after the first traced interval (allocators and caches settle there).
    const [a, b] = [trace[1]!, trace.at(-1)!];
    log(`  ${info.name} memory from step ${a.step} to ${b.step}: tensors ${b.tensors - a.tensors >= 0 ? '+' : ''}${b.tensors - a.tensors}, ` +
      `wasm heap ${b.wasmHeapMb - a.wasmHeapMb >= 0 ? '+' : ''}${b.wasmHeapMb - a.wasmHeapMb} MB, RSS ${b.rssMb - a.rssMb >= 0 ? '+' : ''}${b.rssMb - a.rssMb} MB`);
  }
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  return {
    backend: name === 'wasm' && variant.label ? `wasm [${variant.label}]` : rowLabel(info), model: label, batchSize: batch, imagesPerSec: round(batch / ms * 1000), msPerStep: round(ms),
    cpuMsPerStep: round((c.user + c.system) / 1000 / steps), peakRssMb: readMemory(steps).peakRssMb, device: info.device,
    ...(leaked !== 0 ? { note: `${leaked} tensors leaked per ${steps} steps` } : {}),
  };
}

const round = (v: number) => Math.round(v * 100) / 100;

/** One measurement of every backend, the data-parallel trainer and PyTorch, back to back. */
async function measureRound(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of backends.map((b) => b.trim())) {
    for (const variant of name === 'wasm' ? variants : [variants[0]!]) {
      const row = await benchTfjs(name, variant);
      if (row != null) rows.push(row);
    }
  }
  if (args.has('parallel')) {
    if (modelName !== 'resnet20') throw new Error(`--parallel trains resnet20 only; got --model ${modelName}`);
    const world = intFlag(args, 'parallel', 2);
    const r = await benchParallel(world, batch, warmup, steps);
    if (r.maxWeightDiff !== 0) throw new Error(`data-parallel replicas diverged (max weight difference ${r.maxWeightDiff})`);
    rows.push({
      backend: `wasm-x${world}`, model: r.label, batchSize: batch, imagesPerSec: r.imagesPerSec, msPerStep: r.msPerStep,
      device: `${r.device}, data-parallel; replicas' weights differ by ${r.maxWeightDiff}`,
    });
  }
  if (!args.has('no-torch')) {
    const shortcut = rows[0]?.model.includes('projection') ? 'B' : 'A';
    const torchArgs = ['--model', modelName, '--batch', String(batch), '--steps', String(steps), '--warmup', String(warmup), '--shortcut', shortcut];
    const threads = args.has('torch-threads') ? intFlag(args, 'torch-threads', 1) : args.has('threads') ? intFlag(args, 'threads', 1) : null;
    if (threads != null) torchArgs.push('--threads', String(threads));
    const { result, note } = runPython('train.py', torchArgs);
    if (result == null) log(`pytorch-cpu: skipped (${note})`);
    else {
      rows.push({
        backend: 'pytorch-cpu', model: result.model as string, batchSize: batch, imagesPerSec: result.imagesPerSec as number,
        msPerStep: result.msPerStep as number, cpuMsPerStep: result.cpuMsPerStep as number, peakRssMb: result.peakRssMb as number,
        device: `torch ${result.torch}, ${result.threads} threads`,
      });
    }
  }
  return rows;
}

// Rounds interleave every contestant, so that a shared machine's drifting speed
// hits all of them alike; the summary takes medians (of speeds, and of the
// per-round ratios to PyTorch).
const rounds = intFlag(args, 'rounds', 1);
const results: Row[][] = [];
for (let r = 0; r < rounds; r++) {
  const rows = await measureRound();
  results.push(rows);
  if (rounds > 1) log(`round ${r + 1}/${rounds}: ${rows.map((row) => `${row.backend} ${row.imagesPerSec.toFixed(1)}`).join(', ')} images/s`);
}
const names = results[0]!.map((row) => row.backend);
const pick = (name: string) => results.map((rows) => rows.find((row) => row.backend === name)!);
for (const name of names) {
  const rows = pick(name);
  const row = { ...rows[0]!, imagesPerSec: round(median(rows.map((x) => x.imagesPerSec))), msPerStep: round(median(rows.map((x) => x.msPerStep))) };
  if (json) console.log(JSON.stringify({ backend: row.backend, model: row.model, batchSize: row.batchSize, imagesPerSec: row.imagesPerSec }));
  else {
    const cpu = rows[0]!.cpuMsPerStep != null ? `, ${round(median(rows.map((x) => x.cpuMsPerStep!)))} ms CPU/step` : '';
    const rss = rows[0]!.peakRssMb != null ? `, peak RSS ${Math.max(...rows.map((x) => x.peakRssMb!))} MB` : '';
    log(`${row.backend.padEnd(12)} ${row.imagesPerSec.toFixed(1).padStart(7)} images/s  (${row.msPerStep.toFixed(0)} ms/step${cpu}${rss}; ${row.device})${row.note ? ` ${row.note}` : ''}${rounds > 1 ? ` [median of ${rounds}]` : ''}`);
  }
}
if (!json && names.includes('pytorch-cpu')) {
  const torch = pick('pytorch-cpu');
  for (const name of names.filter((n) => n !== 'pytorch-cpu')) {
    const rows = pick(name);
    const ratios = rows.map((row, i) => row.imagesPerSec / torch[i]!.imagesPerSec);
    const efficiency = rows.every((row) => row.cpuMsPerStep != null)
      ? `; CPU time per image ${median(rows.map((row, i) => torch[i]!.cpuMsPerStep! / row.cpuMsPerStep!)).toFixed(2)}× of PyTorch's efficiency` : '';
    const spread = rounds > 1 ? ` (median; rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : '';
    log(`ratio ${name}/pytorch-cpu: ${median(ratios).toFixed(2)}× images/s${spread}${efficiency}`);
  }
}
