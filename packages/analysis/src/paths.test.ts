import { describe, expect, it } from 'vitest';
import { logBinomials, pathCount, pathLengthDistribution, pathLengthFraction, pathLengthStats } from './paths.js';

// Exact C(n, k) with BigInt: the reference every float result is checked against.
function binom(n: number, k: number): bigint {
  let c = 1n;
  for (let i = 1; i <= k; i++) c = (c * BigInt(n - k + i)) / BigInt(i);
  return c;
}
// BigInt ratio to a double with ~15 significant digits.
function ratio(num: bigint, den: bigint): number {
  const scale = 10n ** 30n;
  return Number((num * scale) / den) / 1e30;
}

describe('pathCount', () => {
  it('is 2^n exactly, beyond the safe-integer range', () => {
    expect(pathCount(0)).toBe(1n);
    expect(pathCount(3)).toBe(8n);
    expect(pathCount(54)).toBe(18014398509481984n);
    expect(pathCount(1000).toString(2).length).toBe(1001);
  });
  it('rejects non-integers and negatives with the valid range', () => {
    expect(() => pathCount(-1)).toThrow(/non-negative integer, got -1/);
    expect(() => pathCount(2.5)).toThrow(/non-negative integer/);
  });
});

describe('pathLengthDistribution', () => {
  it('matches exact binomials C(n,k)/2^n for small n', () => {
    for (const n of [0, 1, 2, 3, 7, 10, 20, 54]) {
      const p = pathLengthDistribution(n);
      expect(p).toHaveLength(n + 1);
      for (let k = 0; k <= n; k++) {
        const exact = ratio(binom(n, k), 1n << BigInt(n));
        expect(Math.abs(p[k]! - exact)).toBeLessThanOrEqual(1e-12 * Math.max(exact, 1e-300) + 1e-300);
      }
    }
    // n = 3: 1, 3, 3, 1 out of 8.
    expect(pathLengthDistribution(3)).toEqual([0.125, 0.375, 0.375, 0.125].map((v) => expect.closeTo(v, 15)));
  });

  it('sums to 1 and stays finite up to n = 1000', () => {
    for (const n of [1, 54, 100, 500, 1000]) {
      const p = pathLengthDistribution(n);
      expect(p.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    // The centre of Binomial(1000, 1/2) against the exact BigInt ratio.
    const exact = ratio(binom(1000, 500), 1n << 1000n);
    expect(pathLengthDistribution(1000)[500]).toBeCloseTo(exact, 14);
    // log C(1000, 500) = ln(2.7028824094543656e299)
    expect(logBinomials(1000)[500]).toBeCloseTo(Math.log(2.7028824094543656) + 299 * Math.LN10, 9);
  });
});

describe('pathLengthFraction', () => {
  it('gives the 54-block figure of Veit et al.: lengths 5-17 are about 0.45% of paths', () => {
    let num = 0n;
    for (let k = 5; k <= 17; k++) num += binom(54, k);
    const exact = ratio(num, 1n << 54n);
    const f = pathLengthFraction(54, 5, 17);
    expect(f).toBeCloseTo(exact, 14);
    expect(f).toBeGreaterThan(0.0044);
    expect(f).toBeLessThan(0.0046);
    console.log(`54 blocks: paths of length 5-17 = ${(100 * f).toFixed(3)}% of 2^54`);
  });
  it('is 1 over the full range and clips ranges outside 0..n', () => {
    expect(pathLengthFraction(10, 0, 10)).toBeCloseTo(1, 14);
    expect(pathLengthFraction(10, -5, 100)).toBeCloseTo(1, 14);
    expect(pathLengthFraction(10, 11, 20)).toBe(0);
    expect(() => pathLengthFraction(10, 5, 4)).toThrow(/minLength \(5\) must not exceed maxLength \(4\)/);
  });
});

describe('pathLengthStats', () => {
  it('gives mean n/2, std sqrt(n)/2 and the modes', () => {
    expect(pathLengthStats(54)).toEqual({ blocks: 54, paths: 1n << 54n, mean: 27, std: Math.sqrt(54) / 2, modes: [27] });
    expect(pathLengthStats(3).modes).toEqual([1, 2]);
  });
});
