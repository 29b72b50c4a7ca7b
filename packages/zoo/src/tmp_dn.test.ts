import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { it } from 'vitest';
import { createModel } from './models/registry.js';
import { formulaSafetensors, predictFormulaInput, readFixtureJson, relMaxDiff, type GoldenModel } from './testing/fixtures.js';
import { loadWeights } from './weights/load.js';
it('dn', async () => {
  await tf.setBackend(process.env.BK!);
  const G = readFixtureJson<Record<string, GoldenModel>>('golden.json');
  const r18 = createModel('resnet18', { inputShape: [64, 64, 3] });
  await loadWeights(r18, formulaSafetensors(G.resnet18!.keys), { from: 'torchvision' });
  console.log('XX r18', relMaxDiff(predictFormulaInput(r18, G.resnet18!.input), G.resnet18!.logits.F32!));
  r18.dispose();
  const g = G.densenet121!;
  const m = createModel('densenet121', { inputShape: [64, 64, 3] });
  const r = await loadWeights(m, formulaSafetensors(g.keys), { from: 'torchvision' });
  console.log('XX', r.ok, r.loaded.length, r.skipped, r.notes);
  console.log('XX dn', relMaxDiff(predictFormulaInput(m, g.input), g.logits.F32!));
});
