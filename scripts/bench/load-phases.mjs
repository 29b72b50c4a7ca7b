#!/usr/bin/env node
// Where a cached pretrained load spends its time, phase by phase, in Node:
// ResNet-50 weights written with exportWeights to a local safetensors file, then
// (per round) read, parsed, decoded, converted OIHW→HWIO, written into a built
// model, and the model fused for inference; plus the whole
// createModel('resnet50.tv2_in1k', { weights: file }) + fuseForInference.
// usage: node --import tsx scripts/bench/load-phases.mjs [rounds=5]
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// @resnet/blocks as the zoo resolves it (the root has no dependency on it).
import { fuseForInference } from '../../packages/zoo/node_modules/@resnet/blocks/dist/index.js';
import { createModel } from '../../packages/zoo/src/models/create.js';
import { exportWeights } from '../../packages/zoo/src/weights/state-dict.js';
import { parseSafetensors, readTensorAsFloat32 } from '../../packages/zoo/src/safetensors/read.js';
import { torchTargets } from '../../packages/zoo/src/weights/names/torchvision.js';
import { loadWeights } from '../../packages/zoo/src/weights/load.js';

await tf.setBackend('cpu');
const rounds = Number(process.argv[2] ?? 5);
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
  const model = createModel('resnet50');
  add('build', now() - t);
  t = now();
  const parsed = parseSafetensors(bytes);
  add('parse', now() - t);
  const targets = torchTargets(model);
  t = now();
  const decoded = targets.map((x) => readTensorAsFloat32(parsed, x.key));
  add('decode', now() - t);
  t = now();
  const converted = targets.map((x, i) => x.toTfjs(decoded[i]));
  add('layout', now() - t);
  t = now();
  targets.forEach((x, i) => {
    const v = tf.tensor(converted[i], x.variable.shape, 'float32');
    x.variable.write(v);
    v.dispose();
  });
  add('tensors', now() - t);
  t = now();
  const report = await loadWeights(model, bytes, { from: 'torchvision' });
  if (!report.ok) throw new Error('load failed');
  add('loadWeights (parse+decode+layout+tensors)', now() - t);
  t = now();
  const fused = fuseForInference(model);
  add('fuse', now() - t);
  fused.dispose?.();
  model.dispose();
  t = now();
  const whole = await createModel('resnet50.tv2_in1k', { weights: file });
  const wholeFused = fuseForInference(whole);
  add('createModel(tag, {weights: file}) + fuse', now() - t);
  wholeFused.dispose?.();
  whole.dispose();
}
rmSync(file);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [k, v] of Object.entries(times)) console.log(`${k.padEnd(44)} median ${median(v).toFixed(0).padStart(6)} ms  (${v.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`tensors left: ${tf.memory().numTensors}`);
