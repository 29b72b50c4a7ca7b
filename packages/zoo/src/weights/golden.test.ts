/**
 * Golden tests against torchvision 0.14 (tools/fixtures/make_fixtures.py): the
 * Python side built each model with formula weights and BatchNorm statistics
 * that are not the defaults and recorded eval-mode logits; here the same state
 * dict is regenerated, written as safetensors, loaded with loadWeights and run.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { maxRelDiff } from '@resnet/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../models/create.js';
import { fixturePath, formulaSafetensors, formulaState, stateToSafetensors, predictFormulaInput, readFixtureJson, type GoldenModel } from '../testing/fixtures.js';
import { loadWeights } from './load.js';

const golden = readFixtureJson<Record<string, GoldenModel>>('golden.json');
// Every weight is overwritten by the load; zero kernels skip ~25M random draws.
const zeros = { kernelInitializer: 'zeros' } as const;

describe('golden logits vs torchvision', () => {
  // wasm runs these convolutions ~30x faster than the pure-JS cpu backend.
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('resnet18 (basic blocks) matches for F32, F16 and BF16 files', async () => {
    const g = golden.resnet18!;
    const [, , h, w] = g.input as [number, number, number, number];
    const model = createModel('resnet18', { inputShape: [h, w, 3], ...zeros });
    const state = formulaState(g.keys);
    for (const dtype of ['F32', 'F16', 'BF16'] as const) {
      const report = await loadWeights(model, stateToSafetensors(state, dtype), { from: 'torchvision' });
      expect(report.ok).toBe(true);
      expect(report.ignored.length).toBe(20); // one num_batches_tracked per BatchNorm
      const before = tf.memory().numTensors;
      const logits = predictFormulaInput(model, g.input);
      expect(tf.memory().numTensors).toBe(before);
      const d = maxRelDiff(logits, g.logits[dtype]!);
      expect(d, `${dtype} relative max difference`).toBeLessThanOrEqual(1e-4);
    }
    // The F16 weights really differ from F32 (so the per-dtype logits are a real test).
    expect(maxRelDiff(g.logits.F16!, g.logits.F32!)).toBeGreaterThan(1e-4);
    model.dispose();
  });

  it('resnet50 (bottleneck blocks) matches', async () => {
    const g = golden.resnet50!;
    const [, , h, w] = g.input as [number, number, number, number];
    const model = createModel('resnet50', { inputShape: [h, w, 3], ...zeros });
    const report = await loadWeights(model, formulaSafetensors(g.keys), { from: 'torchvision' });
    expect(report.loaded.length).toBe(g.keys.length - report.ignored.length);
    expect(maxRelDiff(predictFormulaInput(model, g.input), g.logits.F32!)).toBeLessThanOrEqual(1e-4);
    model.dispose();
  });

  it('densenet121 (from @resnet/residual, torchvision names) matches', async () => {
    const g = golden.densenet121!;
    const [, , h, w] = g.input as [number, number, number, number];
    const model = createModel('densenet121', { inputShape: [h, w, 3], ...zeros });
    const report = await loadWeights(model, formulaSafetensors(g.keys), { from: 'torchvision' });
    expect(report.ok).toBe(true);
    expect(maxRelDiff(predictFormulaInput(model, g.input), g.logits.F32!)).toBeLessThanOrEqual(1e-4);
    model.dispose();
  });

  it('CIFAR resnet20 with option A, from an F16 file written by PyTorch-side code', async () => {
    const ref = readFixtureJson<{ input: number[]; logits: number[][]; params: number; 'conv1.weight[:8]': number[] }>(
      'cifar_resnet20.json',
    );
    const model = createModel('resnet20');
    const report = await loadWeights(model, fixturePath('cifar_resnet20_f16.safetensors'), { from: 'torchvision' });
    expect(report.ok).toBe(true);
    // conv1.weight[0, 0, 0, :] in OIHW → kernel[0, j, 0, 0] in HWIO
    const k = (model.getLayer('conv1').getWeights()[0]!.arraySync() as number[][][][]);
    expect([k[0]![0]![0]![0], k[0]![1]![0]![0], k[0]![2]![0]![0]]).toEqual(ref['conv1.weight[:8]'].slice(0, 3));
    expect(maxRelDiff(predictFormulaInput(model, ref.input), ref.logits)).toBeLessThanOrEqual(1e-4);
    model.dispose();
  });
});
