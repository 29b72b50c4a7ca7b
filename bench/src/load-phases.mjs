#!/usr/bin/env node
// Where a cached pretrained load spends its time, phase by phase, in Node (tfjs
// cpu backend): ResNet-50 weights written with exportWeights to a local
// safetensors file, then per round: read, parse, decode (F32 read in place where
// the zoo can), layout (OIHW→HWIO, plus the copy of values still over the file),
// tensors (written into the built model), build (random and zero kernels), fuse;
// and the whole createModel('resnet50.tv2_in1k', { weights: file }) + fuse.
// usage: pnpm bench:load [rounds=3] [zoo src dir]
// Prints a table, then one JSON line of every round's times.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { exitOnHelp } from '../../scripts/lib/usage.mjs';
import { fuseForInference } from '@resnet/blocks';

exitOnHelp(`usage: pnpm bench:load [rounds=3] [zoo src dir]

Times a cached ResNet-50 load in Node (tfjs cpu backend) phase by phase: read, parse,
decode, layout, tensors, build, fuse, and createModel(tag, { weights: file }) + fuse.
Pass another checkout's packages/zoo/src to compare versions (interleave the runs).`);
const rounds = Number(process.argv[2] ?? 3);
const src = resolve(process.argv[3] ?? join(import.meta.dirname, '../../packages/zoo/src'));
const load = (p) => import(pathToFileURL(join(src, p)).href);
const { createModel } = await load('models/create.ts');
const { exportWeights } = await load('weights/state-dict.ts');
const read = await load('safetensors/read.ts');
const { torchTargets } = await load('weights/names/torchvision.ts');
const decodeOne = read.viewTensorAsFloat32 ?? read.readTensorAsFloat32;

await tf.setBackend('cpu');
const file = join(tmpdir(), `load-phases-${process.pid}.safetensors`);
{
  const m = createModel('resnet50');
  writeFileSync(file, exportWeights(m, { to: 'torchvision' }));
  m.dispose();
}
const now = () => performance.now();
const times = {};
const add = (k, ms) => (times[k] ??= []).push(ms);
for (let r = 0; r < rounds; r++) {
  let t = now();
  const bytes = readFileSync(file);
  add('read', now() - t);
  t = now();
  createModel('resnet50').dispose();
  add('build (random kernels)', now() - t);
  t = now();
  const model = createModel('resnet50', { kernelInitializer: 'zeros' });
  add('build (zero kernels)', now() - t);
  t = now();
  const parsed = read.parseSafetensors(bytes);
  add('parse', now() - t);
  const targets = torchTargets(model);
  t = now();
  const decoded = targets.map((x) => decodeOne(parsed, x.key));
  add('decode', now() - t);
  t = now();
  const converted = targets.map((x, i) => {
    const v = x.toTfjs(decoded[i]);
    return v.buffer === bytes.buffer ? v.slice() : v;
  });
  add('layout', now() - t);
  t = now();
  targets.forEach((x, i) => {
    const v = tf.tensor(converted[i], x.variable.shape, 'float32');
    x.variable.write(v);
    v.dispose();
  });
  add('tensors', now() - t);
  t = now();
  const fused = fuseForInference(model);
  add('fuse', now() - t);
  fused.dispose();
  model.dispose();
  t = now();
  const whole = await createModel('resnet50.tv2_in1k', { weights: file });
  add('createModel(tag, { weights: file })', now() - t);
  t = now();
  const wholeFused = fuseForInference(whole);
  add('  + fuse', now() - t);
  wholeFused.dispose();
  whole.dispose();
}
rmSync(file);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [k, v] of Object.entries(times)) console.log(`${k.padEnd(36)} median ${median(v).toFixed(0).padStart(6)} ms  (${v.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`tensors left: ${tf.memory().numTensors}`);
console.log(JSON.stringify(times));
