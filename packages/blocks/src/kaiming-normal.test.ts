import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { basicBlock, KaimingNormal } from './index.js';

function stats(t: tf.Tensor): { mean: number; std: number; maxAbs: number } {
  const v = t.dataSync();
  let s = 0;
  let s2 = 0;
  let m = 0;
  for (const x of v) {
    s += x;
    s2 += x * x;
    m = Math.max(m, Math.abs(x));
  }
  const mean = s / v.length;
  return { mean, std: Math.sqrt(s2 / v.length - mean * mean), maxAbs: m };
}

describe('KaimingNormal: torchvision kaiming_normal_(mode="fan_out", nonlinearity="relu")', () => {
  it('draws an untruncated normal with std sqrt(2 / (k·k·C_out))', () => {
    // 3×3 conv, 64 → 128: fan_out = 9·128, std = sqrt(2/1152) ≈ 0.04167. 73,728 draws:
    // the sample std is within 1% of it with overwhelming probability.
    const t = new KaimingNormal({ seed: 1 }).apply([3, 3, 64, 128]);
    const { mean, std, maxAbs } = stats(t);
    const expected = Math.sqrt(2 / (9 * 128));
    expect(Math.abs(std / expected - 1)).toBeLessThan(0.01);
    expect(Math.abs(mean)).toBeLessThan(0.01 * expected);
    // Untruncated: some draws beyond 2σ (about 4.6% of them). tfjs' 'normal' cuts at 2σ.
    expect(maxAbs).toBeGreaterThan(3 * expected);
    t.dispose();
  });

  it('fanIn mode uses k·k·C_in', () => {
    const t = new KaimingNormal({ mode: 'fanIn', seed: 2 }).apply([3, 3, 64, 128]);
    expect(Math.abs(stats(t).std / Math.sqrt(2 / (9 * 64)) - 1)).toBeLessThan(0.01);
    t.dispose();
  });

  it('is the default conv initializer of the blocks', () => {
    const x = tfl.input({ shape: [4, 4, 64] });
    const m = tfl.model({ inputs: x, outputs: basicBlock(x, { filters: 64, name: 'k' }) });
    const w = m.getLayer('k.conv1').getWeights()[0]!;
    expect(Math.abs(stats(w).std / Math.sqrt(2 / (9 * 64)) - 1)).toBeLessThan(0.02);
    m.dispose();
  });

  it('rejects bad arguments', () => {
    expect(() => new KaimingNormal({ mode: 'fanAvg' as never })).toThrow(/mode must be 'fanIn' or 'fanOut', got 'fanAvg'/);
    expect(() => new KaimingNormal({ gain: 0 })).toThrow(/gain must be a positive finite number/);
  });
});
