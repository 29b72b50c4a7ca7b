import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { saveTinyCheckpoint } from '../testing/checkpoint-fixture.js';
import { checkpointProperty, newTally, readFolder } from '../testing/fuzz.js';

const root = mkdtempSync(join(tmpdir(), 'resnet-ckfuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A few hundred damaged checkpoints per run of pnpm test; tools/fuzz.ts runs tens of thousands.
describe('checkpoint loading under mutation fuzzing', () => {
  it('300 damaged checkpoints: each loads with finite weights or fails with an error naming the file; no tensor leaks', async () => {
    await saveTinyCheckpoint(join(root, 'base'), 2);
    const base = readFolder(join(root, 'base', 'checkpoint'));
    const tally = newTally();
    await fc.assert(checkpointProperty(base, join(root, 'fuzz'), tally, 5000), { numRuns: 300, seed: 18 });
    expect(tally.runs).toBe(300);
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.errors.size).toBeGreaterThan(3);
  });
});
