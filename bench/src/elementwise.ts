// What a second thread adds to the one-pass kernels of a training step
// (ReLU, its gradient, the residual addition, BatchNorm's batch moments), on one
// activation of ResNet-20 at batch 128 (8 MiB), with the data in the cache (the
// same call back to back) and out of it (a 64 MiB buffer written between calls,
// as the other layers of a step do). Each round measures 1 thread, then 2, each
// figure the median of --calls calls; the speed-ups are per round.
// Usage: pnpm --filter resnet-bench elementwise [--rounds 3] [--calls 21]
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { benchFlags, intFlag } from './args.js';
import { cpuLine } from './cpu.js';
import { formatFigure, ratioSummary, Rounds } from './rounds.js';
import { median } from './timing.js';

const flags = benchFlags(process.argv.slice(2), 'usage: pnpm --filter resnet-bench elementwise [--rounds 3] [--calls 21]\n\n' +
  'Times ReLU, its gradient, an addition and BatchNorm\'s batch moments on a [128, 32, 32, 16] tensor,\n' +
  'cached and uncached, on 1 and 2 threads of our wasm kernels; prints the speed-up of 2 threads.');
const rounds = intFlag(flags.args, 'rounds', 3);
const calls = intFlag(flags.args, 'calls', 21);
tf.enableProdMode();
console.log(cpuLine());
await selectBackend('wasm', { wasmThreads: 1 });
const x = tf.randomNormal([128, 32, 32, 16]);
const dy = tf.randomNormal([128, 32, 32, 16]);
/** Each kernel, and the tensors it reads and writes (8 MiB each). */
const KERNELS: Array<[string, number, () => tf.TensorContainer]> = [
  ['ReLU', 2, () => tf.relu(x)],
  ['ReLU gradient', 3, () => tf.engine().runKernel('ResnetReluGrad', { x, dy }, {}) as tf.Tensor],
  ['addition', 3, () => tf.add(x, dy)],
  ['batch moments', 1, () => tf.engine().runKernel('ResnetChannelMoments', { x }, {}) as tf.Tensor[]],
];
const evict = new Float32Array(16 * 2 ** 20);
const MIB = 8;

/** The median ms of `calls` calls of `run`, each after `evict` was written when `cold`. */
function time(run: () => tf.TensorContainer, cold: boolean): number {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    if (cold) evict.fill(i);
    const t0 = performance.now();
    tf.dispose(run());
    times.push(performance.now() - t0);
  }
  return median(times);
}

const figures = new Rounds();
for (let round = 1; round <= rounds; round++) {
  for (const threads of [1, 2]) {
    await selectBackend('wasm', { wasmThreads: threads });
    for (const [name, , run] of KERNELS) {
      time(run, false); // warms up this pool's workers
      for (const cold of [false, true]) figures.add(`${name} ${cold ? 'uncached' : 'cached'} ${threads}T`, time(run, cold));
    }
  }
  console.log(`round ${round}/${rounds} done`);
}
console.log(`\nms per call (median of ${calls} calls; median of ${rounds} rounds, per-round range) and speed-up of 2 threads:`);
for (const [name, tensors] of KERNELS) {
  for (const state of ['cached', 'uncached']) {
    const at = (threads: number) => figures.summary().find((s) => s.key === `${name} ${state} ${threads}T`)!;
    const [one, two] = [at(1), at(2)];
    const gain = ratioSummary(figures, `${name} ${state} 1T`, `${name} ${state} 2T`)!;
    const rate = (tensors * MIB) / 1024 / (one.median / 1000);
    console.log(`  ${`${name}, ${state}`.padEnd(26)} 1 thread ${formatFigure(one, 'ms', 2)} (${rate.toFixed(1)} GiB/s), ` +
      `2 threads ${formatFigure(two, 'ms', 2)}: ${formatFigure(gain, '×', 2)}`);
  }
}
tf.dispose([x, dy]);
process.exit(0); // the kernel workers would keep the process alive
