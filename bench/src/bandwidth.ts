// What a second thread can add on this machine: each round copies a buffer
// pair of a given size over and over (memory-bound), and runs ten independent
// multiply chains (compute-bound), first on one thread, then on two at once
// (the same work each), and prints the aggregate speed-up of two threads (2.0×
// when the cores share nothing). Training steps at batch 128 stream megabytes
// per layer, so the copies bound their scaling.
// Usage: pnpm --filter resnet-bench bandwidth [--rounds 3] [--mb 0.25,4,16,64]
import { Worker } from 'node:worker_threads';
import { intFlag, parseArgs } from './args.js';
import { cpuLine } from './cpu.js';
import { formatFigure, Rounds } from './rounds.js';

/** Copies `mb` MiB `reps` times (4 GiB of copying in all); returns the milliseconds. */
function copies(mb: number): number {
  const a = new Float32Array(mb * 262144).fill(1);
  const b = new Float32Array(a.length);
  const reps = Math.round(4096 / mb);
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) b.set(a);
  return performance.now() - t0;
}

/** 3·10⁹ multiplies in ten independent chains (no memory traffic); returns the milliseconds. */
function multiplies(): number {
  let a0 = 1, a1 = 1, a2 = 1, a3 = 1, a4 = 1, a5 = 1, a6 = 1, a7 = 1, a8 = 1, a9 = 1;
  const k = 1.0000001;
  const t0 = performance.now();
  for (let i = 0; i < 3e8; i++) {
    a0 *= k; a1 *= k; a2 *= k; a3 *= k; a4 *= k; a5 *= k; a6 *= k; a7 *= k; a8 *= k; a9 *= k;
  }
  const ms = performance.now() - t0;
  return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 > 0 ? ms : -1;
}

/** One task: copies of `mb` MiB, or the multiplies (mb 0). */
const task = (mb: number): number => (mb === 0 ? multiplies() : copies(mb));

// The second thread runs the same functions, as source (a worker cannot load this TypeScript file).
const WORKER = `const { parentPort } = require('node:worker_threads');\n${copies.toString()}\n${multiplies.toString()}\n` +
  `parentPort.on('message', (mb) => parentPort.postMessage(mb === 0 ? multiplies() : copies(mb)));`;

const args = parseArgs(process.argv.slice(2));
if (args.has('help')) {
  console.log('usage: pnpm --filter resnet-bench bandwidth [--rounds 3] [--mb 0.25,4,16,64]\n\n' +
    'Copies buffers of each size (MiB), and runs multiply chains, on one thread, then on two at once;\nprints the aggregate speed-up of two threads.');
  process.exit(0);
}
const rounds = intFlag(args, 'rounds', 3);
const sizes = String(args.get('mb') ?? '0.25,4,16,64').split(',').map(Number);
if (sizes.some((s) => !(s > 0 && s <= 1024))) throw new Error(`--mb: sizes in MiB from >0 to 1024, comma-separated; got '${String(args.get('mb'))}'`);
console.log(cpuLine());
// One worker for the run, warmed up like this thread, so that its start-up is not timed.
const worker = new Worker(WORKER, { eval: true });
let failed: ((err: Error) => void) | null = null;
worker.on('error', (err) => failed?.(err));
const onWorker = (mb: number) => new Promise<number>((resolve, reject) => {
  failed = reject;
  worker.once('message', resolve);
  worker.postMessage(mb);
});
const tasks = [...sizes, 0];
const name = (mb: number) => (mb === 0 ? 'multiplies' : `${mb} MiB`);
for (const mb of tasks) {
  task(mb);
  await onWorker(mb);
}
const figures = new Rounds();
for (let round = 0; round < rounds; round++) {
  for (const mb of tasks) {
    const one = task(mb);
    const other = onWorker(mb);
    const two = Math.max(task(mb), await other);
    // Two threads did twice the work in `two` ms: the speed-up over one thread doing it alone.
    figures.add(name(mb), (2 * one) / two);
    console.log(`round ${round + 1}/${rounds}: ${name(mb).padEnd(10)} one thread ${one.toFixed(0)} ms, two at once ${two.toFixed(0)} ms: ${((2 * one) / two).toFixed(2)}×`);
  }
}
await worker.terminate();
console.log(`\naggregate speed-up of two threads (median of ${rounds} rounds, per-round range):`);
for (const s of figures.summary()) console.log(`  ${s.key.padEnd(10)} ${formatFigure(s, '×', 2)}`);
