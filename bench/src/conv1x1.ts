// bench/conv1x1: ResNet-50's 1×1 convolutions (batch 1, inference: fused bias and
// ReLU, filters packed once and cached) by our matrix-product kernel (conv1x1) against
// the direct kernel it replaces, and XNNPACK, on one thread (or --wasm-threads 2: our
// kernels split with a kernel worker; CPU time then counts both threads). The paths are interleaved
// layer by layer in every round; each figure is the median (and range) over rounds of
// the CPU time of one call (CPU, not wall time: the machine may be shared). The total
// weighs each layer by how often ResNet-50 has it.
//   pnpm --filter resnet-bench conv1x1 [--rounds 7] [--calls 5] [--batch 1] [--wasm-threads N]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { enableRelaxedSimd, selectBackend, setSimdKernelOptions, simdKernelCalls, type SimdKernelOptions } from '@resnet/backend';
import { benchFlags, intFlag } from './args.js';
import { cpuLine } from './cpu.js';

const flags = benchFlags(process.argv.slice(2), 'usage: pnpm --filter resnet-bench conv1x1 [--rounds 7] [--calls 5] [--batch 1] [--wasm-threads N]');
const rounds = intFlag(flags.args, 'rounds', 7);
const calls = intFlag(flags.args, 'calls', 5);
const batch = intFlag(flags.args, 'batch', 1);
const threads = intFlag(flags.args, 'wasm-threads', 1);
tf.enableProdMode();
await selectBackend('wasm', { wasmThreads: threads });
const fma = await enableRelaxedSimd();

/** A 1×1 layer of ResNet-50 (torchvision v1.5, 224×224): input [1, h, h, ci], co outputs, stride, times it occurs. */
interface Layer { h: number; ci: number; co: number; stride: number; count: number }
const LAYERS: Layer[] = [
  { h: 56, ci: 64, co: 64, stride: 1, count: 1 },
  { h: 56, ci: 64, co: 256, stride: 1, count: 4 }, // 3 expansions and the downsample of stage 1
  { h: 56, ci: 256, co: 64, stride: 1, count: 2 },
  { h: 56, ci: 256, co: 128, stride: 1, count: 1 },
  { h: 56, ci: 256, co: 512, stride: 2, count: 1 },
  { h: 28, ci: 512, co: 128, stride: 1, count: 3 },
  { h: 28, ci: 128, co: 512, stride: 1, count: 4 },
  { h: 28, ci: 512, co: 256, stride: 1, count: 1 },
  { h: 28, ci: 512, co: 1024, stride: 2, count: 1 },
  { h: 14, ci: 1024, co: 256, stride: 1, count: 5 },
  { h: 14, ci: 256, co: 1024, stride: 1, count: 6 },
  { h: 14, ci: 1024, co: 512, stride: 1, count: 1 },
  { h: 14, ci: 1024, co: 2048, stride: 2, count: 1 },
  { h: 7, ci: 2048, co: 512, stride: 1, count: 2 },
  { h: 7, ci: 512, co: 2048, stride: 1, count: 3 },
];

const PATHS: Array<[string, Partial<SimdKernelOptions>]> = [
  ['XNNPACK', { enabled: false }],
  ['direct', { enabled: true, gemm: false }],
  ['gemm', { enabled: true, gemm: true }],
];

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (v: number[]) => `${median(v).toFixed(2)} (${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)})`;

console.log(cpuLine());
console.log(`ResNet-50 1×1 layers, batch ${batch}, ${threads} thread(s), FMA ${fma ? 'on' : 'not available'}; CPU ms per call, median (range) of ${rounds} rounds of ${calls} calls`);
const inputs = LAYERS.map((l) => ({
  x: tf.randomNormal([batch, l.h, l.h, l.ci]) as tf.Tensor4D,
  filter: tf.randomNormal([1, 1, l.ci, l.co], 0, 0.05) as tf.Tensor4D,
  bias: tf.randomNormal([l.co]) as tf.Tensor1D,
}));
const run = (i: number) => {
  const { x, filter, bias } = inputs[i]!;
  return tf.fused.conv2d({ x, filter, bias, strides: LAYERS[i]!.stride, pad: 'same', activation: 'relu' });
};
// ms[layer][path][round]
const ms = LAYERS.map(() => PATHS.map(() => [] as number[]));
const gemmCalls = simdKernelCalls().conv1x1 ?? 0;
for (let r = -1; r < rounds; r++) {
  LAYERS.forEach((_, i) => {
    PATHS.forEach(([, options], p) => {
      setSimdKernelOptions(options);
      if (r < 0) {
        for (let k = 0; k < 2; k++) tf.dispose(run(i)); // warm-up; the second call caches the packed filter
        return;
      }
      const t0 = process.cpuUsage();
      for (let k = 0; k < calls; k++) tf.dispose(run(i));
      const spent = process.cpuUsage(t0);
      ms[i]![p]!.push((spent.user + spent.system) / 1000 / calls);
    });
  });
}
setSimdKernelOptions({ enabled: true, gemm: true });
if ((simdKernelCalls().conv1x1 ?? 0) === gemmCalls) throw new Error('bench conv1x1: the gemm path never ran');

console.log(`${'layer'.padEnd(28)} ${PATHS.map(([p]) => p.padStart(22)).join(' ')}   direct/gemm (median of per-round ratios)`);
LAYERS.forEach((l, i) => {
  const label = `${l.h}²×${l.ci} → ${l.co} /${l.stride} ×${l.count}`;
  const ratio = ms[i]![1]!.map((d, r) => d / ms[i]![2]![r]!);
  console.log(`${label.padEnd(28)} ${ms[i]!.map((v) => fmt(v).padStart(22)).join(' ')}   ${median(ratio).toFixed(2)}× (${Math.min(...ratio).toFixed(2)}–${Math.max(...ratio).toFixed(2)})`);
});
// Per round: every 1×1 layer of ResNet-50 once per occurrence.
const totals = PATHS.map((_, p) => Array.from({ length: rounds }, (_, r) => LAYERS.reduce((s, l, i) => s + l.count * ms[i]![p]![r]!, 0)));
const ratio = totals[1]!.map((d, r) => d / totals[2]![r]!);
console.log(`${'all 1×1 layers (weighted)'.padEnd(28)} ${totals.map((v) => fmt(v).padStart(22)).join(' ')}   ${median(ratio).toFixed(2)}× (${Math.min(...ratio).toFixed(2)}–${Math.max(...ratio).toFixed(2)})`);
tf.dispose(inputs.flatMap((t) => [t.x, t.filter, t.bias]));
