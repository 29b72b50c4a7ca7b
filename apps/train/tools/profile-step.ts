/**
 * Kernel-time breakdown of one training step of a CIFAR net on a backend, to
 * find what dominates (run by hand; timings on a shared machine are noisy):
 *   pnpm exec tsx apps/train/tools/profile-step.ts [backend] [model] [widths] [batch]
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { buildCifarNet } from '../src/cifar-net.js';
import { registerTrainingGradients } from '@resnet/backend';
import { Sgd } from '../src/train/sgd.js';
import { trainStep, trainableVariables } from '../src/train/step.js';

const [backend = 'wasm', name = 'resnet20', widthsArg = '8,16,32', batchArg = '32'] = process.argv.slice(2);
tf.enableProdMode();
await selectBackend(backend as 'wasm');
registerTrainingGradients();
const batch = Number(batchArg);
const model = buildCifarNet(Number(/\d+$/.exec(name)![0]), name.startsWith('resnet'), { widths: widthsArg.split(',').map(Number), inputShape: [32, 32, 1], numClasses: 10 });
const vars = trainableVariables(model);
const sgd = new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 1e-4 });
const x = tf.randomNormal([batch, 32, 32, 1]) as tf.Tensor4D;
const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32');
trainStep(model, vars, sgd, x, y, 10, 0.01);
const prof = await tf.profile(() => {
  trainStep(model, vars, sgd, x, y, 10, 0.01);
});
const byName: Record<string, [number, number]> = {};
for (const k of prof.kernels) {
  const e = (byName[k.name] ??= [0, 0]);
  e[0] += k.kernelTimeMs as number;
  e[1] += 1;
}
const total = Object.values(byName).reduce((a, b) => a + b[0], 0);
console.log(`${name} ${widthsArg} batch ${batch}: kernel total ${total.toFixed(0)} ms, ${prof.kernels.length} kernels`);
for (const [k, [ms, n]] of Object.entries(byName).sort((a, b) => b[1][0] - a[1][0]).slice(0, 16)) console.log(`  ${k.padEnd(24)} ${ms.toFixed(0).padStart(6)} ms  x${n}`);
// CPU time of this process approximates the wall time on an idle core (the machine is shared).
const t0 = performance.now();
const c0 = process.cpuUsage();
for (let i = 0; i < 3; i++) trainStep(model, vars, sgd, x, y, 10, 0.01);
const c = process.cpuUsage(c0);
const cpuMs = (c.user + c.system) / 1000 / 3;
console.log(`per step: wall ${((performance.now() - t0) / 3).toFixed(0)} ms, cpu ${cpuMs.toFixed(0)} ms -> ${((batch * 1000) / cpuMs).toFixed(1)} img/s of cpu time`);
