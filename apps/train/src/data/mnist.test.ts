import { describe, expect, it } from 'vitest';
import { loadMnist, MNIST_TRAIN_POOL } from './mnist.js';

describe('mnist', () => {
  const ds = loadMnist();

  it('holds the 10,000 digits of the mnist package, split 8,000 / 2,000, as 32×32×1', () => {
    expect(ds.shape).toEqual([32, 32, 1]);
    expect(ds.train.count).toBe(MNIST_TRAIN_POOL);
    expect(ds.train.count + ds.test.count).toBe(10000);
    expect(ds.train.images.length).toBe(8000 * 1024);
    // Every class is in both splits.
    for (const split of [ds.train, ds.test]) expect(new Set(split.labels).size).toBe(10);
  });

  it('pads with the normalised value of a black pixel and keeps the digit in the middle', () => {
    const black = (0 - 0.1307) / 0.3081;
    const img = ds.train.images.subarray(0, 1024);
    for (const i of [0, 1, 31, 32, 33, 64 + 1, 1023, 30 * 32 + 5]) expect(img[i]).toBeCloseTo(black, 6);
    // Ink somewhere in the central 28×28 (values up to (1 - 0.1307) / 0.3081 = 2.82).
    expect(Math.max(...img)).toBeGreaterThan(2);
    expect(Math.max(...img)).toBeLessThanOrEqual((1 - 0.1307) / 0.3081 + 1e-6);
  });

  it('is the same split every time, and limits take the first images', () => {
    const small = loadMnist({ trainSize: 5, testSize: 3 });
    expect(Array.from(small.train.labels)).toEqual(Array.from(ds.train.labels.subarray(0, 5)));
    expect(Array.from(small.test.labels)).toEqual(Array.from(ds.test.labels.subarray(0, 3)));
    expect(small.train.images).toEqual(ds.train.images.subarray(0, 5 * 1024));
  });
});
