import { describe, expect, it } from 'vitest';
import { MNIST_PIXELS, mnistCount, mnistDigits, mnistImage } from './mnist.js';

describe('mnist', () => {
  it('holds the 10,000 digits of the package', () => {
    const counts = Array.from({ length: 10 }, (_, d) => mnistCount(d));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10000);
  });
  it('gives interleaved samples with labels, the same as one image at a time', () => {
    const { images, labels, count } = mnistDigits(2, 5);
    expect(count).toBe(20);
    expect(Array.from(labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(images.subarray(13 * MNIST_PIXELS, 14 * MNIST_PIXELS)).toEqual(mnistImage(3, 6));
    // Real digits: grey values in [0, 1], some ink and mostly background.
    const img = mnistImage(3, 6);
    expect(Math.min(...img)).toBe(0);
    expect(Math.max(...img)).toBeGreaterThan(0.9);
    expect(Math.max(...img)).toBeLessThanOrEqual(1);
  });
  it('refuses a digit or a sample that does not exist, saying what exists', () => {
    expect(() => mnistImage(10, 0)).toThrow('digit must be an integer 0..9, got 10');
    expect(() => mnistImage(0, mnistCount(0))).toThrow(`digit 0 has samples 0..${mnistCount(0) - 1}, asked for ${mnistCount(0)}`);
    expect(() => mnistDigits(5, mnistCount(1) - 2)).toThrow(/has samples/);
  });
});
