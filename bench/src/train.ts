// bench/train: ResNet-20 (32×32×3, batch 128) training throughput with momentum SGD
// on every available tfjs backend, and PyTorch CPU in the same run.
//   pnpm bench:train [--json] [--steps 5] [--warmup 2] [--batch 128] [--backends wasm,tensorflow] [--parallel 2] [--no-torch]
// The pure-JS cpu backend is measured only when named (--backends cpu): a step takes minutes.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { benchFlags, intFlag } from './args.js';
import { buildResnet20 } from './models.js';
import { benchParallel } from './parallel/driver.js';
import { runPython } from './torch.js';

interface Row { backend: string; model: string; batchSize: number; imagesPerSec: number; msPerStep: number; cpuMsPerStep?: number; device?: string; note?: string }

const { args, json, warmup, backends, log } = benchFlags(process.argv.slice(2), 'usage: pnpm bench:train [--json] [--steps 5] [--warmup 2] [--batch 128] [--backends tensorflow-gpu,tensorflow,webgpu,wasm] [--parallel 2] [--torch-threads N] [--no-torch]');
const steps = intFlag(args, 'steps', 5);
const batch = intFlag(args, 'batch', 128);
tf.enableProdMode();

async function benchTfjs(name: string): Promise<Row | null> {
  let info;
  try {
    info = await selectBackend(name, { warn: log });
  } catch (err) {
    log(`${name}: skipped (${(err as Error).message.split('\n')[0]})`);
    return null;
  }
  const { model, label } = await buildResnet20();
  const opt = tf.train.momentum(0.1, 0.9);
  const x = tf.randomNormal([batch, 32, 32, 3]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10);
  const step = () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    loss.dataSync();
    loss.dispose();
  };
  for (let i = 0; i < warmup; i++) step();
  const before = tf.memory().numTensors;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - t0) / steps;
  const c = process.cpuUsage(c0);
  const leaked = tf.memory().numTensors - before;
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  return {
    backend: info.name, model: label, batchSize: batch, imagesPerSec: round(batch / ms * 1000), msPerStep: round(ms),
    cpuMsPerStep: round((c.user + c.system) / 1000 / steps), device: info.device, ...(leaked !== 0 ? { note: `${leaked} tensors leaked per ${steps} steps` } : {}),
  };
}

const round = (v: number) => Math.round(v * 100) / 100;
const rows: Row[] = [];
for (const name of backends) {
  const row = await benchTfjs(name.trim());
  if (row == null) continue;
  rows.push(row);
  if (json) console.log(JSON.stringify({ backend: row.backend, model: row.model, batchSize: row.batchSize, imagesPerSec: row.imagesPerSec }));
  else log(`${row.backend.padEnd(12)} ${row.imagesPerSec.toFixed(1).padStart(7)} images/s  (${row.msPerStep.toFixed(0)} ms/step, ${row.cpuMsPerStep} ms CPU/step; ${row.device})${row.note ? ` ${row.note}` : ''}`);
}
if (args.has('parallel')) {
  const world = intFlag(args, 'parallel', 2);
  const r = await benchParallel(world, batch, warmup, steps);
  const row: Row = { backend: `wasm-x${world}`, model: r.label, batchSize: batch, imagesPerSec: r.imagesPerSec, msPerStep: r.msPerStep, device: r.device };
  rows.push(row);
  if (json) console.log(JSON.stringify({ backend: row.backend, model: row.model, batchSize: row.batchSize, imagesPerSec: row.imagesPerSec }));
  else log(`${row.backend.padEnd(12)} ${row.imagesPerSec.toFixed(1).padStart(7)} images/s  (${row.msPerStep} ms/step; ${r.device}, data-parallel; replicas' weights differ by ${r.maxWeightDiff})`);
  if (r.maxWeightDiff !== 0) throw new Error(`data-parallel replicas diverged (max weight difference ${r.maxWeightDiff})`);
}
if (!args.has('no-torch')) {
  const shortcut = rows[0]?.model.includes('projection') ? 'B' : 'A';
  const torchArgs = ['--batch', String(batch), '--steps', String(steps), '--warmup', String(warmup), '--shortcut', shortcut];
  if (args.has('torch-threads')) torchArgs.push('--threads', String(intFlag(args, 'torch-threads', 1)));
  const { result, note } = runPython('train_resnet20.py', torchArgs);
  if (result == null) log(`pytorch-cpu: skipped (${note})`);
  else {
    const ips = result.imagesPerSec as number;
    if (json) console.log(JSON.stringify({ backend: 'pytorch-cpu', model: result.model, batchSize: result.batchSize, imagesPerSec: ips }));
    else {
      log(`${'pytorch-cpu'.padEnd(12)} ${ips.toFixed(1).padStart(7)} images/s  (${result.msPerStep} ms/step, ${result.cpuMsPerStep} ms CPU/step; torch ${result.torch}, ${result.threads} threads)`);
      for (const r of rows) log(`ratio ${r.backend}/pytorch-cpu: ${(r.imagesPerSec / ips).toFixed(2)}× images/s` +
        (r.cpuMsPerStep ? `; CPU time per image ${((result.cpuMsPerStep as number) / r.cpuMsPerStep).toFixed(2)}× of PyTorch's efficiency` : ''));
    }
  }
}
