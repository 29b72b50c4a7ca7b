import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, maxRelDiff } from './diff.js';

describe('maxAbsDiff / maxRelDiff', () => {
  it('compare flat arrays, rows and tensors alike', () => {
    // |Δ| = 0.5, 0, 3 → 3; the reference's largest magnitude is 6 → 3 / 6.
    const a = [1.5, -2, 9];
    const b = [1, -2, 6];
    expect(maxAbsDiff(a, b)).toBe(3);
    expect(maxRelDiff(a, b)).toBe(0.5);
    expect(maxAbsDiff([[1.5, -2], [9]], Float32Array.from(b))).toBe(3);
    const [ta, tb] = [tf.tensor1d(a), tf.tensor2d(b, [1, 3])];
    expect(maxRelDiff(ta, tb)).toBe(0.5);
    tf.dispose([ta, tb]);
  });
  it('return the absolute difference against an all-zero reference, and 0 for equal inputs', () => {
    expect(maxRelDiff([0.25, 0], [0, 0])).toBe(0.25);
    expect(maxRelDiff([], [])).toBe(0);
    expect(maxAbsDiff([1, 2], [1, 2])).toBe(0);
  });
  it('refuse inputs of different sizes, naming both', () => {
    expect(() => maxAbsDiff([1, 2, 3], [1, 2])).toThrow('cannot compare 3 values with 2');
  });
});
