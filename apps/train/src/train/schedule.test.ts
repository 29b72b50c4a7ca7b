import { describe, expect, it } from 'vitest';
import { learningRate } from './schedule.js';

describe('learningRate', () => {
  it('warms up linearly, then follows a half cosine to 0', () => {
    const s = { kind: 'cosine' as const, lr: 0.1, totalSteps: 110, warmupSteps: 10 };
    expect(learningRate(s, 0)).toBeCloseTo(0.01, 12); // 0.1 * 1/10
    expect(learningRate(s, 4)).toBeCloseTo(0.05, 12); // 0.1 * 5/10
    expect(learningRate(s, 9)).toBeCloseTo(0.1, 12);
    expect(learningRate(s, 10)).toBeCloseTo(0.1, 12); // cos(0) = 1
    expect(learningRate(s, 60)).toBeCloseTo(0.05, 12); // halfway: 0.5 * 0.1 * (1 + cos(pi/2))
    expect(learningRate(s, 110)).toBeCloseTo(0, 12);
  });

  it("divides by 10 at each milestone (the paper's 32k and 48k)", () => {
    const s = { kind: 'step' as const, lr: 0.1, totalSteps: 64000, warmupSteps: 0, milestones: [32000, 48000] };
    expect(learningRate(s, 31999)).toBeCloseTo(0.1, 12);
    expect(learningRate(s, 32000)).toBeCloseTo(0.01, 12);
    expect(learningRate(s, 48000)).toBeCloseTo(0.001, 12);
  });

  it('keeps a constant rate', () => {
    expect(learningRate({ kind: 'constant', lr: 0.3, totalSteps: 5, warmupSteps: 0 }, 4)).toBe(0.3);
  });
});
