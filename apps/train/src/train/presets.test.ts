import { describe, expect, it } from 'vitest';
import { resolveRecipe } from '../cli/recipe-options.js';
import { scheduleOf } from './loop.js';
import { preset } from './presets.js';
import { learningRate } from './schedule.js';

describe('presets', () => {
  it("he2015 is the paper's CIFAR-10 recipe: lr 0.1, ÷10 at 32k and 48k, stop at 64k, batch 128", () => {
    const { recipe, data } = preset('he2015');
    expect(data).toMatch(/^cifar10:/);
    expect(recipe).toMatchObject({ batchSize: 128, lr: 0.1, momentum: 0.9, weightDecay: 1e-4, augment: true, widths: [16, 32, 64], warmupEpochs: 0 });
    const s = scheduleOf(recipe, 50000);
    // 50,000 / 128 = 390.6 -> 391 iterations per epoch; 164 epochs = 64,124 >= 64,000, so the cap applies.
    expect(s.totalSteps).toBe(64000);
    expect(learningRate(s, 31999)).toBeCloseTo(0.1, 12);
    expect(learningRate(s, 32000)).toBeCloseTo(0.01, 12);
    expect(learningRate(s, 48000)).toBeCloseTo(0.001, 12);
  });

  it('quick warms up for one epoch, then decays to 0 by the last iteration', () => {
    const { recipe } = preset('quick');
    const s = scheduleOf(recipe, recipe.trainSize);
    const per = Math.ceil(recipe.trainSize / recipe.batchSize);
    expect(s.warmupSteps).toBe(per);
    expect(s.totalSteps).toBe(per * recipe.epochs);
    expect(learningRate(s, per - 1)).toBeCloseTo(recipe.lr, 12);
    expect(learningRate(s, s.totalSteps)).toBeCloseTo(0, 12);
  });

  it('flags override a preset, and epoch milestones become iterations', () => {
    const r = resolveRecipe(preset('quick').recipe, { epochs: 8, schedule: 'step', warmupEpochs: 0, milestoneEpochs: [4, 6] });
    expect(r.milestoneEpochs).toEqual([4, 6]);
    const s = scheduleOf(r, 3000);
    // 3000 / 32 = 93.75 -> 94 iterations per epoch
    expect(s.milestones).toEqual([376, 564]);
  });
});
