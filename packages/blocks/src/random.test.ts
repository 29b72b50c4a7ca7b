import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { Rng, withSeededMathRandom } from './random.js';

function denseKernel(seed: number): number[] {
  return withSeededMathRandom(seed, () => {
    const d = layers.dense({ units: 4, kernelInitializer: 'heNormal' });
    const y = d.apply(tf.zeros([1, 3])) as tf.Tensor;
    const w = Array.from(d.getWeights()[0]!.dataSync());
    tf.dispose([y, ...d.getWeights()]);
    return w;
  });
}

describe('Rng', () => {
  it('is sfc32 seeded by splitmix32 with 12 warm-up draws (values from an independent Python transcription)', () => {
    const r = new Rng(1);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([1130556604, 2591592147, 3014952990]);
  });

  it('continues the same stream from a saved state', () => {
    const a = new Rng(42);
    for (let i = 0; i < 17; i++) a.next();
    const b = new Rng(a.state());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(Array.from({ length: 5 }, () => a.nextUint32()));
  });

  it('gives different streams for different seeds and the same for the same seed', () => {
    expect(new Rng(1).nextUint32()).toBe(new Rng(1).nextUint32());
    expect(new Rng(1).nextUint32()).not.toBe(new Rng(2).nextUint32());
  });

  it('draws permutations of 0..n-1', () => {
    const p = Array.from(new Rng(3).permutation(100));
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('rejects malformed states', () => {
    expect(() => new Rng([1, 2, 3] as unknown as [number, number, number, number])).toThrow(/four unsigned 32-bit/);
  });

  it('seeds Math.random only inside withSeededMathRandom', () => {
    const a = withSeededMathRandom(7, () => [Math.random(), Math.random()]);
    const b = withSeededMathRandom(7, () => [Math.random(), Math.random()]);
    expect(a).toEqual(b);
    expect(Math.random).not.toBe(undefined);
    expect(withSeededMathRandom(8, () => Math.random())).not.toBe(a[0]);
  });

  it('the same seed gives bit-identical tfjs initial weights; another seed does not', () => {
    const a = denseKernel(7), b = denseKernel(7), c = denseKernel(8);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('puts Math.random back, also after a throw', () => {
    const original = Math.random;
    expect(() => withSeededMathRandom(1, () => { throw new Error('boom'); })).toThrow('boom');
    expect(Math.random).toBe(original);
  });

  it('stays in [0, 1) and int(n) in 0..n-1', () => {
    const g = new Rng(42);
    for (let i = 0; i < 1000; i++) {
      const v = g.next();
      expect(v >= 0 && v < 1).toBe(true);
      const k = g.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
  });
});
