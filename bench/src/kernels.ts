// bench/kernels: our WebAssembly SIMD convolution kernels against the XNNPACK
// path they replace, per ResNet-20 layer shape (batch 128), in one run.
//   pnpm --filter resnet-bench kernels [--reps 5]
// GMAC/s counts multiply-accumulates of the convolution (the gradients have as many).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, setSimdKernelsEnabled } from '@resnet/backend';
import { intFlag, parseArgs } from './args.js';

const reps = intFlag(parseArgs(process.argv.slice(2)), 'reps', 5);
tf.enableProdMode();
registerWasmTrainingKernels();
await tf.setBackend('wasm');

type Shape4 = [number, number, number, number];
const layers: Array<{ x: Shape4; f: Shape4; stride: number }> = [
  { x: [128, 32, 32, 3], f: [3, 3, 3, 16], stride: 1 },
  { x: [128, 32, 32, 16], f: [3, 3, 16, 16], stride: 1 },
  { x: [128, 32, 32, 16], f: [3, 3, 16, 32], stride: 2 },
  { x: [128, 16, 16, 32], f: [3, 3, 32, 32], stride: 1 },
  { x: [128, 8, 8, 64], f: [3, 3, 64, 64], stride: 1 },
];

function ms(run: () => tf.Tensor): number {
  tf.dispose(run());
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.dispose(run());
  return (performance.now() - t0) / reps;
}

console.log('layer                              kernel        XNNPACK path   SIMD       speed-up  (SIMD GMAC/s)');
for (const { x: xs, f: fs, stride } of layers) {
  const x = tf.randomNormal(xs) as tf.Tensor4D;
  const w = tf.randomNormal(fs) as tf.Tensor4D;
  const dy = tf.conv2d(x, w, stride, 'same');
  const macs = (dy.size / fs[3]) * fs.reduce((a, b) => a * b);
  const kernels: Array<[string, () => tf.Tensor]> = [
    ['forward', () => tf.conv2d(x, w, stride, 'same')],
    ['input grad', () => tf.conv2dTranspose(dy, w, xs, stride, 'same')],
    ['filter grad', () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: stride, pad: 'same', dataFormat: 'NHWC', filterShape: fs }) as tf.Tensor],
  ];
  for (const [name, run] of kernels) {
    setSimdKernelsEnabled(false);
    const base = ms(run);
    setSimdKernelsEnabled(true);
    const simd = ms(run);
    const label = `${xs.join('×')} * ${fs.join('×')} /${stride}`;
    console.log(`${label.padEnd(34)} ${name.padEnd(13)} ${base.toFixed(1).padStart(8)} ms ${simd.toFixed(1).padStart(8)} ms ${(base / simd).toFixed(2).padStart(8)}×  (${(macs / simd / 1e6).toFixed(1)})`);
  }
  tf.dispose([x, w, dy]);
}
