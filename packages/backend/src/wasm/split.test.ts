import { describe, expect, it } from 'vitest';
import { partition } from './split.js';

describe('partition', () => {
  it('covers the range in contiguous, near-equal parts', () => {
    expect(partition(10, 2)).toEqual([0, 5, 10]);
    expect(partition(7, 2)).toEqual([0, 4, 7]); // round(3.5) = 4
    expect(partition(9, 3)).toEqual([0, 3, 6, 9]);
    expect(partition(1, 4)).toEqual([0, 0, 1, 1, 1]);
  });

  it('cuts at multiples of the grain, the last part taking the remainder', () => {
    expect(partition(36, 2, 8)).toEqual([0, 24, 36]); // 4.5 blocks of 8: 3, then the 1.5 left
    expect(partition(64, 4, 8)).toEqual([0, 16, 32, 48, 64]);
    expect(partition(12, 2, 8)).toEqual([0, 8, 12]);
  });
});
