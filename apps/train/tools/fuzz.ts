/**
 * Mutation fuzzing of the CIFAR-10 reader and of checkpoint loading, run by
 * hand (pnpm test runs 300 inputs of each):
 *
 *   node --expose-gc --import tsx apps/train/tools/fuzz.ts [--runs 10000] [--target cifar,checkpoint] [--seed N]
 *
 * Prints, per reader: inputs run, successes, each kind of error (paths and
 * numbers blanked) with its count, the slowest input, and the heap and RSS
 * before, at their peak and after (with --expose-gc, after a collection).
 * Exits 1 at the first input that crashes, hangs (> 5 s) or leaks a tensor.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { checkpointProperty, cifarProperty, type FuzzTally, newTally, readFolder } from '../src/testing/fuzz.js';
import { saveTinyCheckpoint } from '../src/testing/checkpoint-fixture.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, target: { type: 'string', default: 'cifar,checkpoint' }, seed: { type: 'string' } } });
const runs = Number(values.runs);
const seed = values.seed ? Number(values.seed) : Date.now() % 2 ** 31;
tf.enableProdMode();
await tf.setBackend('cpu');
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;

function memory(): { heap: number; rss: number } {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

async function fuzz(name: string, run: (tally: FuzzTally, onRun: () => void) => Promise<void> | void): Promise<void> {
  const tally = newTally();
  const before = memory();
  let peak = { ...before };
  const t0 = Date.now();
  await run(tally, () => {
    if (tally.runs % 1000 !== 0) return;
    const m = process.memoryUsage();
    peak = { heap: Math.max(peak.heap, m.heapUsed), rss: Math.max(peak.rss, m.rss) };
    process.stderr.write(`  ${name}: ${tally.runs} inputs, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  });
  const after = memory();
  console.log(`\n${name}: ${tally.runs} inputs in ${((Date.now() - t0) / 1000).toFixed(0)} s (seed ${seed}); ${tally.ok} read, ${tally.runs - tally.ok} refused with a clear error; slowest ${tally.maxMs.toFixed(1)} ms`);
  console.log(`  heap ${mb(before.heap)} → peak ${mb(peak.heap)} → ${mb(after.heap)}; rss ${mb(before.rss)} → peak ${mb(peak.rss)} → ${mb(after.rss)}; tensors ${tf.memory().numTensors}`);
  for (const [kind, n] of [...tally.errors].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${kind}`);
}

const targets = values.target.split(',');
if (targets.includes('cifar')) {
  await fuzz('CIFAR-10 reader', (tally, onRun) => {
    const p = cifarProperty(tally, 5000);
    fc.assert(p.afterEach(onRun), { numRuns: runs, seed });
  });
}
if (targets.includes('checkpoint')) {
  const root = mkdtempSync(join(tmpdir(), 'resnet-fuzz-'));
  await saveTinyCheckpoint(join(root, 'base'), 2);
  const base = readFolder(join(root, 'base', 'checkpoint'));
  await fuzz('checkpoint loading', async (tally, onRun) => {
    // The input being tried, so that a hang (which no in-process timer can interrupt) can be traced.
    const current = join(tmpdir(), 'resnet-fuzz-current.json');
    console.log(`(each checkpoint input is written to ${current} before it is tried)`);
    const p = checkpointProperty(base, join(root, 'fuzz'), tally, 5000, (d) => writeFileSync(current, JSON.stringify(d)));
    await fc.assert(p.afterEach(onRun), { numRuns: runs, seed });
  });
  rmSync(root, { recursive: true, force: true });
}
