// bench/kernels: our WebAssembly SIMD convolution kernels, path by path, against
// the XNNPACK path they replace, per layer shape of ResNet-20 (batch 128, training:
// forward, input and filter gradient) or ResNet-50 (batch 1, inference: forward),
// on one thread, in one run. Each figure is the least CPU time (not wall time: the
// machine may be shared) of --reps runs, the paths interleaved, so that a drift
// hits them alike.
//   pnpm --filter resnet-bench kernels [--model resnet20|resnet50] [--reps 5]
// GMAC/s counts multiply-accumulates of the direct convolution (the gradients have as many).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { enableRelaxedSimd, registerWasmTrainingKernels, setSimdKernelOptions, type SimdKernelOptions } from '@resnet/backend';
import { benchFlags, intFlag } from './args.js';

const flags = benchFlags(process.argv.slice(2), 'usage: pnpm --filter resnet-bench kernels [--model resnet20|resnet50] [--reps 5]');
const reps = intFlag(flags.args, 'reps', 5);
const model = flags.args.get('model') ?? 'resnet20';
tf.enableProdMode();
registerWasmTrainingKernels();
await tf.setBackend('wasm');
const fma = await enableRelaxedSimd();

type Shape4 = [number, number, number, number];
interface Layer { x: Shape4; f: Shape4; stride: number; kinds: string[] }
const training = ['forward', 'input grad', 'filter grad'];
const LAYERS: Record<string, Layer[]> = {
  resnet20: [
    { x: [128, 32, 32, 3], f: [3, 3, 3, 16], stride: 1, kinds: training },
    { x: [128, 32, 32, 16], f: [3, 3, 16, 16], stride: 1, kinds: training },
    { x: [128, 32, 32, 16], f: [3, 3, 16, 32], stride: 2, kinds: training },
    { x: [128, 16, 16, 32], f: [3, 3, 32, 32], stride: 1, kinds: training },
    { x: [128, 8, 8, 64], f: [3, 3, 64, 64], stride: 1, kinds: training },
  ],
  resnet50: [
    { x: [1, 56, 56, 64], f: [3, 3, 64, 64], stride: 1, kinds: ['forward'] },
    { x: [1, 56, 56, 64], f: [1, 1, 64, 256], stride: 1, kinds: ['forward'] },
    { x: [1, 28, 28, 128], f: [3, 3, 128, 128], stride: 1, kinds: ['forward'] },
    { x: [1, 28, 28, 512], f: [1, 1, 512, 128], stride: 1, kinds: ['forward'] },
    { x: [1, 14, 14, 256], f: [3, 3, 256, 256], stride: 1, kinds: ['forward'] },
    { x: [1, 14, 14, 1024], f: [1, 1, 1024, 256], stride: 1, kinds: ['forward'] },
    { x: [1, 7, 7, 512], f: [3, 3, 512, 512], stride: 1, kinds: ['forward'] },
    { x: [1, 7, 7, 512], f: [1, 1, 512, 2048], stride: 1, kinds: ['forward'] },
  ],
};
const layers = LAYERS[model];
if (layers == null) throw new Error(`--model must be one of ${Object.keys(LAYERS).join(', ')}; got '${model}'`);

/** The paths compared: the XNNPACK fallback, then our kernels with more of their levers on. */
const PATHS: Array<[string, Partial<SimdKernelOptions>]> = [
  ['XNNPACK', { enabled: false }],
  ['direct', { enabled: true, fma: false, winograd: 0 }],
  ...(fma ? [['direct+FMA', { enabled: true, fma: true, winograd: 0 }] as [string, Partial<SimdKernelOptions>]] : []),
  ['Wino F2', { enabled: true, fma: true, winograd: 2 }],
  ['Wino F4', { enabled: true, fma: true, winograd: 4 }],
  ['auto', { enabled: true, fma: true, winograd: 'auto' }],
];

console.log(`${model}, one thread, least CPU ms of ${reps}; FMA ${fma ? 'available' : 'not available on this engine'}`);
console.log(`${'layer'.padEnd(34)} ${'kernel'.padEnd(12)} ${PATHS.map(([p]) => p.padStart(10)).join(' ')}   auto vs XNNPACK, vs direct (GMAC/s)`);
for (const { x: xs, f: fs, stride, kinds } of layers) {
  const x = tf.randomNormal(xs) as tf.Tensor4D;
  const w = tf.randomNormal(fs) as tf.Tensor4D;
  const dy = tf.conv2d(x, w, stride, 'same');
  const macs = (dy.size / fs[3]) * fs.reduce((a, b) => a * b);
  const run: Record<string, () => tf.Tensor> = {
    forward: () => tf.conv2d(x, w, stride, 'same'),
    'input grad': () => tf.conv2dTranspose(dy, w, xs, stride, 'same'),
    'filter grad': () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: stride, pad: 'same', dataFormat: 'NHWC', filterShape: fs }) as tf.Tensor,
  };
  for (const kind of kinds) {
    const best = PATHS.map(() => Infinity);
    for (let r = 0; r <= reps; r++) {
      PATHS.forEach(([, options], i) => {
        setSimdKernelOptions(options);
        const t0 = process.cpuUsage();
        tf.dispose(run[kind]!());
        const spent = process.cpuUsage(t0);
        if (r > 0) best[i] = Math.min(best[i]!, (spent.user + spent.system) / 1000); // the first round warms up
      });
    }
    const fastest = best.at(-1)!;
    const label = `${xs.join('×')} * ${fs.join('×')} /${stride}`;
    console.log(`${label.padEnd(34)} ${kind.padEnd(12)} ${best.map((ms) => ms.toFixed(1).padStart(10)).join(' ')}   ` +
      `${(best[0]! / fastest).toFixed(2)}×, ${(best[1]! / fastest).toFixed(2)}× (${(macs / fastest / 1e6).toFixed(1)})`);
  }
  tf.dispose([x, w, dy]);
}
setSimdKernelOptions({ enabled: true, fma: true, winograd: 'auto' });
