import { describe, expect, it } from 'vitest';
import { Rng, withSeededMathRandom } from './rng.js';

describe('Rng', () => {
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
});
