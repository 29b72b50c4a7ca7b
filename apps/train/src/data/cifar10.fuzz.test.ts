import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cifarProperty, newTally } from '../testing/fuzz.js';

// A few hundred mutated batch files per run of pnpm test; tools/fuzz.ts runs tens of thousands.
describe('CIFAR-10 reader under mutation fuzzing', () => {
  it('300 mutated batch files: each parses consistently or fails with an error naming the file, in under 2 s', () => {
    const tally = newTally();
    fc.assert(cifarProperty(tally, 2000), { numRuns: 300, seed: 18 });
    expect(tally.runs).toBe(300);
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.errors.size).toBeGreaterThan(1);
  });
});
