import { describe, expect, it } from 'vitest';
import { centralRange, meanLength } from './paths.js';

// Binomial(n, 1/2) written out: C(n, k) / 2^n.
function binom(n: number): number[] {
  const p = [1];
  for (let i = 0; i < n; i++) p.push((p[i]! * (n - i)) / (i + 1));
  return p.map((c) => c / 2 ** n);
}

describe('path-length summaries', () => {
  it('the mean of Binomial(n, 1/2) is n/2', () => {
    expect(meanLength(binom(54))).toBeCloseTo(27, 10);
    expect(meanLength([0, 1])).toBe(1);
  });

  it('for n = 54 (ResNet-110) 95% of paths have lengths 20..34', () => {
    // Veit et al. 2016 report 95% of ResNet-110 paths between 19 and 35 modules; the
    // narrowest central range for exactly 95% is 20..34 (mass 0.9598 by the binomial sum; 21..34 holds only 0.9419).
    const r = centralRange(binom(54));
    expect([r.lo, r.hi]).toEqual([20, 34]);
    expect(r.mass).toBeCloseTo(0.9597764359, 9);
  });

  it('one block: both lengths equally likely, the whole range is needed', () => {
    expect(centralRange([0.5, 0.5])).toEqual({ lo: 0, hi: 1, mass: 1 });
  });
});
