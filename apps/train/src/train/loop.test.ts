import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { resnet8 } from '@resnet/zoo';
import { loadSynthetic } from '../data/synthetic.js';
import { withSeededMathRandom } from '@resnet/blocks';
import { type TrainEvent } from './events.js';
import { trainModel, type TrainOptions } from './loop.js';
import { type Recipe } from './recipe.js';

const root = mkdtempSync(join(tmpdir(), 'resnet-loop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const recipe: Recipe = {
  epochs: 2, maxSteps: 0, batchSize: 16, lr: 0.05, schedule: 'cosine', milestones: [], milestoneEpochs: [], warmupEpochs: 0,
  momentum: 0.9, nesterov: false, weightDecay: 1e-4, augment: false, trainSize: 64, testSize: 16, widths: [4, 8, 8],
};
const dataset = loadSynthetic({ size: 8, trainSize: 64, testSize: 16 });

function options(out: string, emit: (e: TrainEvent) => void): TrainOptions {
  return {
    model: { name: 'resnet8', options: {} },
    build: () => withSeededMathRandom(1, () => resnet8({ widths: [4, 8, 8], inputShape: [8, 8, 3], numClasses: 10 }) as never),
    dataSpec: 'synthetic:8', dataset, recipe, seed: 1, out, resume: false,
    backend: { name: 'cpu', device: 'test' }, emit, signal: { stop: false },
  };
}

describe('training loop', () => {
  it('keeps tf.memory().numTensors flat across training steps and epochs', async () => {
    const counts: number[] = [];
    const out = await trainModel(options(join(root, 'mem'), (e) => {
      if (e.type === 'batch') counts.push(tf.memory().numTensors);
    }));
    expect(out.status).toBe('complete');
    expect(counts).toHaveLength(8); // 2 epochs x 64/16 batches
    // From the second step on (momentum buffers exist) every step ends with the same tensors alive.
    expect(new Set(counts.slice(1)).size).toBe(1);
    out.model.dispose();
  });

  it('stops on a NaN loss with a clear message and keeps the last good checkpoint', async () => {
    const dir = join(root, 'nan');
    const events: TrainEvent[] = [];
    let model: tf.LayersModel | null = null;
    const o = options(dir, (e) => {
      events.push(e);
      // After epoch 1 is checkpointed, poison one weight: the next loss is NaN.
      if (e.type === 'epoch' && e.epoch === 1) {
        const w = model!.getLayer('fc').getWeights()[0]!;
        model!.getLayer('fc').setWeights([tf.fill(w.shape, NaN), model!.getLayer('fc').getWeights()[1]!]);
      }
    });
    const build = o.build;
    o.build = () => (model = build());
    const out = await trainModel(o);
    expect(out.status).toBe('diverged');
    const d = events.find((e) => e.type === 'diverged') as Extract<TrainEvent, { type: 'diverged' }>;
    expect(d).toMatchObject({ epoch: 2, batch: 1 });
    expect(d.text).toMatch(/loss became NaN at epoch 2, batch 1 .*last good checkpoint \(epoch 1\) is kept in .*Try a lower --lr/);
    const state = JSON.parse(readFileSync(join(dir, 'checkpoint', 'state.json'), 'utf8'));
    expect(state).toMatchObject({ epoch: 1, complete: false });
    expect(existsSync(join(dir, 'checkpoint.tmp'))).toBe(false);
    // The saved weights are the good ones.
    const bin = readFileSync(join(dir, 'checkpoint', 'weights.bin'));
    const values = new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
    expect(values.every(Number.isFinite)).toBe(true);
    out.model.dispose();
  });

  it('an update that would overflow float32 is not applied: the model stays as after the last good step, BN statistics included', async () => {
    const dir = join(root, 'overflow');
    const events: TrainEvent[] = [];
    let model: tf.LayersModel | null = null;
    let afterGoodStep: number[][] = [];
    const o = options(dir, (e) => {
      events.push(e);
      if (e.type === 'batch') afterGoodStep = model!.weights.map((w) => Array.from(w.read().dataSync()));
    });
    // lr 1e15 (constant): the first step's weights are still finite, the second step's are not.
    o.recipe = { ...recipe, lr: 1e15, schedule: 'constant' };
    const build = o.build;
    o.build = () => (model = build());
    const out = await trainModel(o);
    expect(out.status).toBe('diverged');
    const d = events.find((e) => e.type === 'diverged') as Extract<TrainEvent, { type: 'diverged' }>;
    expect(d).toMatchObject({ reason: 'update', epoch: 1, batch: 2, checkpoint: null });
    expect(d.text).toMatch(/the update would have made weights or BatchNorm statistics NaN\/Inf .*the step was not applied.*No epoch had completed/);
    expect(events.filter((e) => e.type === 'batch')).toHaveLength(1);
    expect(out.model.nonTrainableWeights.length).toBeGreaterThan(0);
    out.model.weights.forEach((w, i) => expect(Array.from(w.read().dataSync()), w.name).toEqual(afterGoodStep[i]));
    expect(existsSync(join(dir, 'checkpoint'))).toBe(false);
    out.model.dispose();
  });

  it('resume falls back to checkpoint.old when checkpoint is damaged, says so, and ends with the same weights', async () => {
    // The first test's run: 2 epochs straight, so checkpoint (epoch 2) and checkpoint.old (epoch 1).
    const dir = join(root, 'mem');
    const finalWeights = readFileSync(join(dir, 'checkpoint', 'weights.bin'));
    writeFileSync(join(dir, 'checkpoint', 'weights.bin'), finalWeights.subarray(0, 100));
    const messages: string[] = [];
    const o = options(dir, (e) => e.type === 'message' && messages.push(e.text));
    const out = await trainModel({ ...o, resume: true });
    expect(out.status).toBe('complete');
    expect(messages[0]).toMatch(/^WARNING: skipped .*mem\/checkpoint: .*checkpoint\/weights\.bin: 100 bytes, but state\.json records \d+; using .*checkpoint\.old \(epoch 1, step 4\)$/);
    expect(messages[1]).toMatch(/^resuming resnet8 from .*checkpoint\.old: epoch 1, step 4$/);
    expect(readFileSync(join(dir, 'checkpoint', 'weights.bin')).equals(finalWeights)).toBe(true);
    out.model.dispose();
  });
});
