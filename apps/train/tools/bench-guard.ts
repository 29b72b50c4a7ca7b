/**
 * What the step guard costs (the check that the loss and every value an update
 * writes are finite before it is applied): training steps with and without
 * it, interleaved in rounds, on real-size CIFAR nets. Run by hand:
 *
 *   pnpm exec tsx apps/train/tools/bench-guard.ts [backend=wasm] [rounds=5] [steps=4]
 *
 * Prints per configuration the median step time (wall and process CPU) with
 * and without the guard, the per-round ratio (median and range), and the
 * guard's work alone (the BatchNorm statistics snapshot, the probe's kernels
 * and a read-back, which in a step is shared with the loss's) as a fraction
 * of a step. CPU time counts the wasm helper thread too and is less disturbed by
 * other processes than wall time.
 */
import * as tf from '@tensorflow/tfjs';
import { registerTrainingGradients, selectBackend } from '@resnet/backend';
import { buildCifarResNet } from '@resnet/zoo';
import { withSeededMathRandom } from '@resnet/blocks';
import { Sgd } from '../src/train/sgd.js';
import { nonFiniteProbe, trainableVariables, trainStep } from '../src/train/step.js';

const [backend = 'wasm', roundsArg = '5', stepsArg = '4'] = process.argv.slice(2);
const rounds = Number(roundsArg);
const steps = Number(stepsArg);
tf.enableProdMode();
const info = await selectBackend(backend as 'wasm');
registerTrainingGradients();
console.log(`backend ${info.name} on ${info.device}; ${rounds} rounds of ${steps} steps each way, interleaved`);

const configs = [
  { name: 'quick preset: ResNet-20 8/16/32, 32×32×1, batch 32', depth: 20, widths: [8, 16, 32], shape: [32, 32, 1], batch: 32 },
  { name: 'paper: ResNet-20 16/32/64, 32×32×3, batch 128', depth: 20, widths: [16, 32, 64], shape: [32, 32, 3], batch: 128 },
  { name: 'quick preset: ResNet-56 8/16/32, 32×32×1, batch 32', depth: 56, widths: [8, 16, 32], shape: [32, 32, 1], batch: 32 },
] as const;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]): string => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;

for (const c of configs) {
  const model = withSeededMathRandom(1, () =>
    buildCifarResNet(c.depth, false, { widths: [...c.widths], inputShape: [...c.shape], numClasses: 10 }),
  ) as unknown as tf.LayersModel;
  const vars = trainableVariables(model);
  const sgd = new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 1e-4 });
  const x = tf.randomNormal([c.batch, ...c.shape], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.tensor1d(Array.from({ length: c.batch }, (_, i) => i % 10), 'int32');
  // lr 0 keeps the weights (and so the work) the same in every step.
  const time = async (guard: boolean): Promise<{ wall: number; cpu: number }> => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await trainStep(model, vars, sgd, x, y, 10, 0, { guard });
    const cpu = process.cpuUsage(cpu0);
    return { wall: (performance.now() - t0) / steps, cpu: (cpu.user + cpu.system) / 1000 / steps };
  };
  await time(true);
  await time(false);
  const on: Array<{ wall: number; cpu: number }> = [];
  const off: Array<{ wall: number; cpu: number }> = [];
  const probe: Array<{ wall: number; cpu: number }> = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first, so drift in the machine's speed favours neither.
    if (r % 2 === 0) {
      on.push(await time(true));
      off.push(await time(false));
    } else {
      off.push(await time(false));
      on.push(await time(true));
    }
    const stats = model.nonTrainableWeights.map((w) => w.read());
    const targets = [...model.trainableWeights.map((w) => w.read()), ...stats];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) {
      const snapshot = stats.map((t) => tf.clone(t));
      const p = nonFiniteProbe(targets);
      p.dataSync();
      tf.dispose([p, ...snapshot]);
    }
    const cpu = process.cpuUsage(cpu0);
    probe.push({ wall: (performance.now() - t0) / steps, cpu: (cpu.user + cpu.system) / 1000 / steps });
  }
  const wallRatio = on.map((o, i) => o.wall / off[i]!.wall);
  const cpuRatio = on.map((o, i) => o.cpu / off[i]!.cpu);
  const params = vars.reduce((n, v) => n + v.size, 0);
  console.log(`\n${c.name} (${params.toLocaleString('en-US')} trainable weights)`);
  console.log(`  step with guard ${median(on.map((o) => o.wall)).toFixed(1)} ms wall / ${median(on.map((o) => o.cpu)).toFixed(1)} ms CPU; without ${median(off.map((o) => o.wall)).toFixed(1)} ms / ${median(off.map((o) => o.cpu)).toFixed(1)} ms`);
  console.log(`  with/without per round: wall ${median(wallRatio).toFixed(3)} (range ${range(wallRatio)}), CPU ${median(cpuRatio).toFixed(3)} (range ${range(cpuRatio)})`);
  const share = (k: 'wall' | 'cpu'): string => ((100 * median(probe.map((p) => p[k]))) / median(off.map((o) => o[k]))).toFixed(2);
  console.log(`  the guard's work alone: ${median(probe.map((p) => p.wall)).toFixed(2)} ms wall / ${median(probe.map((p) => p.cpu)).toFixed(2)} ms CPU = ${share('wall')}% / ${share('cpu')}% of a step without the guard (medians)`);
  tf.dispose([x, y]);
  sgd.dispose();
  model.dispose();
}
