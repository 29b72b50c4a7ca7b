import { Worker } from 'node:worker_threads';
import { createModel } from '@resnet/zoo';
import type { FromWorker, ToWorker } from './protocol.js';

/** Result of a data-parallel benchmark run. */
export interface ParallelResult { imagesPerSec: number; msPerStep: number; label: string; device: string; maxWeightDiff: number; losses: number[] }

/**
 * Synchronous data-parallel SGD over `world` worker threads, each with its own
 * wasm backend: every step each replica computes gradients on batch/world
 * images, the gradients are averaged through shared memory and every replica
 * applies the same momentum-SGD update. BatchNorm statistics are per replica
 * (like PyTorch DDP without SyncBatchNorm).
 */
export async function benchParallel(world: number, batch: number, warmup: number, steps: number): Promise<ParallelResult> {
  if (batch % world !== 0) throw new Error(`batch ${batch} must divide evenly over ${world} workers`);
  const x = new SharedArrayBuffer(batch * 32 * 32 * 3 * 4);
  const y = new SharedArrayBuffer(batch * 10 * 4);
  const xs = new Float32Array(x);
  for (let i = 0; i < xs.length; i++) xs[i] = Math.random() * 2 - 1;
  const ys = new Float32Array(y);
  for (let i = 0; i < batch; i++) ys[i * 10 + (i % 10)] = 1;
  const workers = Array.from({ length: world }, () => new Worker(new URL('./worker-boot.mjs', import.meta.url)));
  const pending = new Map<Worker, (m: FromWorker) => void>();
  for (const w of workers) {
    w.on('message', (m: FromWorker) => {
      if (m.kind === 'error') throw new Error(`worker failed: ${m.message}`);
      pending.get(w)?.(m);
    });
    w.on('error', (e) => { throw e; });
  }
  const ask = (w: Worker, m: ToWorker) => new Promise<FromWorker>((res) => { pending.set(w, res); w.postMessage(m); });
  const all = (m: ToWorker) => Promise.all(workers.map((w) => ask(w, m)));
  // The gradient buffer's size: the trainable parameter count of the same model built here.
  const model = createModel('resnet20');
  const params = model.countParams() - model.nonTrainableWeights.reduce((a, w) => a + w.shape.reduce((p: number, d) => p * (d ?? 1), 1), 0);
  model.dispose();
  const grads = new SharedArrayBuffer(params * world * 4);
  const ready = await Promise.all(workers.map((w, rank) => ask(w, { cmd: 'init', rank, world, batch, x, y, grads })));
  const first = ready[0] as Extract<FromWorker, { kind: 'ready' }>;
  await Promise.all(workers.slice(1).map((w) => ask(w, { cmd: 'weights', weights: first.weights! })));
  const losses: number[] = [];
  const step = async () => {
    const ls = await all({ cmd: 'grads' });
    losses.push(ls.reduce((a, m) => a + (m.kind === 'loss' ? m.loss : 0), 0) / world);
    await all({ cmd: 'apply' });
  };
  for (let i = 0; i < warmup; i++) await step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const ms = (performance.now() - t0) / steps;
  const checked = (await all({ cmd: 'check' })) as Array<Extract<FromWorker, { kind: 'checked' }>>;
  let maxWeightDiff = 0;
  for (const c of checked.slice(1)) c.weights.forEach((w, i) => w.forEach((v, j) => { maxWeightDiff = Math.max(maxWeightDiff, Math.abs(v - checked[0]!.weights[i]![j]!)); }));
  await Promise.all(workers.map((w) => w.terminate()));
  return { imagesPerSec: Math.round(batch / ms * 1000 * 100) / 100, msPerStep: Math.round(ms), label: first.label, device: `${world} × ${first.device}`, maxWeightDiff, losses };
}
