import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { mulberry32, withSeed } from './seeded.js';

function denseKernel(seed: number): Float32Array {
  return withSeed(seed, () => {
    const d = layers.dense({ units: 4, kernelInitializer: 'heNormal' });
    d.apply(tf.zeros([1, 3]));
    return d.getWeights()[0]!.dataSync() as Float32Array;
  });
}

describe('withSeed', () => {
  it('the same seed gives bit-identical tfjs initial weights; another seed does not', () => {
    const a = denseKernel(7), b = denseKernel(7), c = denseKernel(8);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('puts Math.random back, also after a throw', () => {
    const original = Math.random;
    expect(() => withSeed(1, () => { throw new Error('boom'); })).toThrow('boom');
    expect(Math.random).toBe(original);
  });

  it('mulberry32 stays in [0, 1) and is deterministic', () => {
    const g = mulberry32(42), h = mulberry32(42);
    for (let i = 0; i < 1000; i++) {
      const v = g();
      expect(v).toBe(h());
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});
