// Profiles ResNet-50 inference on a backend: CPU time per kernel (exclusive), through
// fuseForInference (or model.predict with --fusion off). CPU time, not wall time,
// because the machine may be shared.
// Usage: tsx src/profile-infer.ts [--backend wasm] [--batch 1] [--runs 5] [--threads N] [--fusion on|off] [--winograd …]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { fuseForInference } from '@resnet/blocks';
import { benchFlags, intFlag } from './args.js';
import { profileKernels } from './kernel-profiler.js';
import { selectOrSkip } from './select.js';
import { applyVariant, wasmVariants } from './simd-flags.js';

const flags = benchFlags(process.argv.slice(2), 'usage: tsx src/profile-infer.ts [--backend wasm] [--batch 1] [--runs 5] [--threads N] [--fusion on|off] [--winograd auto|0|2|4] [--fma on|off] [--cache on|off]');
const { args } = flags;
const batch = intFlag(args, 'batch', 1);
const runs = intFlag(args, 'runs', 5);
const cache = fileURLToPath(new URL('../.cache/', import.meta.url));
tf.enableProdMode();
const [variant] = wasmVariants(args);
const info = await selectOrSkip(args.get('backend') ?? 'wasm', flags, variant!.threads);
if (info == null) process.exit(1);
if (info.name === 'wasm') applyVariant(variant!);
console.log(`${info.name}: ${info.device}`);
const zoo = await import('@resnet/zoo');
const model = zoo.createModel('resnet50');
await zoo.loadWeights(model, readFileSync(`${cache}resnet50.safetensors`), { from: 'torchvision' });
const fused = fuseForInference(model);
const x = tf.randomNormal([batch, 224, 224, 3]);
const predict = () => tf.tidy(() => { (variant!.fusion ? fused.predict(x) : (model.predict(x) as tf.Tensor)).dataSync(); });
for (let i = 0; i < 2; i++) predict();
const prof = profileKernels(info.name);
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < runs; i++) predict();
const wall = (performance.now() - t0) / runs;
const c = process.cpuUsage(c0);
console.log(`per run: wall ${wall.toFixed(1)} ms, cpu ${((c.user + c.system) / 1000 / runs).toFixed(1)} ms (all threads)`);
const stats = prof.read();
console.log(`kernels ${(stats.reduce((a, s) => a + s.cpuMs, 0) / runs).toFixed(1)} ms cpu/run`);
for (const s of stats.slice(0, 16)) console.log(`${s.name.padEnd(36)} ${(s.cpuMs / runs).toFixed(1).padStart(8)} ms ${(s.calls / runs).toFixed(0).padStart(5)} calls`);
prof.restore();
