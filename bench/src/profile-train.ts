// Profiles ResNet-20 training steps on a backend: CPU time per kernel (exclusive).
// CPU time, not wall time, because the machine is shared. --model resnet18|resnet34|resnet50
// profiles that ImageNet net (224×224, 1000 classes) instead; --by-shape lists each
// kernel's calls per set of input shapes.
// Usage: pnpm --filter resnet-bench profile:train [backend=wasm] [batch=128] [steps=3] [--wall] [--threads N] [--model NAME] [--by-shape]
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { profileKernels } from './kernel-profiler.js';
import { trainNet } from './nets.js';
import { createModel } from '@resnet/zoo';

if (process.argv.includes('--help')) {
  console.log('usage: pnpm --filter resnet-bench profile:train [backend=wasm] [batch=128] [steps=3] [--wall] [--threads N] [--model NAME] [--by-shape]\n\n' +
    'CPU time per kernel (exclusive) of ResNet-20 training steps on one backend; --wall: elapsed time instead.\n--threads: threads of our wasm kernels (default: the cores).\n' +
    '--model: resnet20 (32×32, 10 classes; the default), resnet18, resnet34 or resnet50 (224×224, 1000 classes).\n--by-shape: each kernel per set of input shapes.');
  process.exit(0);
}
const argv = process.argv.slice(2);
const wall = argv.includes('--wall');
const byShape = argv.includes('--by-shape');
/** The value after `--name`, and the two positions it takes. */
const option = (name: string): { value?: string; at: number[] } => {
  const at = argv.indexOf(`--${name}`);
  return at < 0 ? { at: [] } : { value: argv[at + 1], at: [at, at + 1] };
};
const threads = option('threads');
// selectBackend refuses a thread count out of range, naming it.
const wasmThreads = threads.value != null ? Number(threads.value) : undefined;
const modelOption = option('model');
const modelName = modelOption.value ?? 'resnet20';
const net = trainNet(modelName);
const taken = new Set([...threads.at, ...modelOption.at]);
const [backend = 'wasm', batchArg = '128', stepsArg = '3'] = argv.filter((a, i) => a !== '--wall' && a !== '--by-shape' && !taken.has(i));
const batch = Number(batchArg);
const steps = Number(stepsArg);
tf.enableProdMode();
const info = await selectBackend(backend, { wasmThreads });
console.log(`${info.name}: ${info.device}`);
const model = createModel(modelName) as tf.LayersModel; // a name without weights builds at once
const opt = tf.train.momentum(0.1, 0.9);
const x = tf.randomNormal([batch, net.size, net.size, 3]);
const labels = tf.oneHot(tf.randomUniform([batch], 0, net.classes, 'int32'), net.classes);
const step = () => opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
for (let i = 0; i < 2; i++) tf.dispose(step());
const prof = profileKernels(info.name, wall ? 'wall' : 'cpu', byShape);
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < steps; i++) {
  const loss = step();
  loss.dataSync();
  loss.dispose();
}
const wallMs = (performance.now() - t0) / steps;
const c = process.cpuUsage(c0);
const cpuMs = (c.user + c.system) / 1000 / steps;
console.log(`per step: wall ${wallMs.toFixed(0)} ms, cpu ${cpuMs.toFixed(0)} ms → ${(batch / cpuMs * 1000).toFixed(1)} images/s per busy core; tensors ${tf.memory().numTensors}`);
const stats = prof.read();
const total = stats.reduce((a, s) => a + s.cpuMs, 0) / steps;
console.log(`kernels ${total.toFixed(0)} ms ${wall ? 'wall' : 'cpu'}/step (rest: JS/engine overhead)`);
for (const s of stats.slice(0, 22)) {
  console.log(`${s.name.padEnd(36)} ${(s.cpuMs / steps).toFixed(1).padStart(8)} ms ${(s.calls / steps).toFixed(0).padStart(5)} calls`);
}
prof.restore();
