/**
 * The full kill test, run by hand (pnpm test runs three rounds of it in
 * src/commands/train.test.ts):
 *
 *   pnpm exec tsx apps/train/tools/kill-test.ts [--kills 20] [--terms 10] [--epochs 50] [--seed 1]
 *
 * Trains a tiny ResNet-8 on the cpu backend (deterministic) once straight, then
 * again while killing it with SIGKILL and SIGTERM at random moments in random
 * order, resuming after each kill. After every kill it checks that a valid
 * checkpoint is on disk, that at most one epoch was lost (none after SIGTERM)
 * and the exit code; at the end, that the final weights, momentum buffers and
 * per-epoch losses equal the straight run's bit for bit. Prints every round.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '@resnet/blocks';
import { finishRun, type KillRound, runKillRounds } from '../src/testing/kill-harness.js';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '20' }, terms: { type: 'string', default: '10' }, epochs: { type: 'string', default: '50' }, seed: { type: 'string', default: '1' } } });
const PER_EPOCH = 3;
const argv = ['--model', 'resnet8', '--data', 'synthetic:8', '--widths', '4,8,8', '--train-size', '48', '--test-size', '16', '--batch-size', '16',
  '--epochs', values.epochs, '--augment', '--lr', '0.05', '--warmup-epochs', '0.5', '--backend', 'cpu', '--seed', '3'];
const root = mkdtempSync(join(tmpdir(), 'resnet-kill-'));
const file = (dir: string, f: string): Buffer => readFileSync(join(dir, 'checkpoint', f));

const t0 = Date.now();
const straight = join(root, 'straight');
await finishRun(argv, straight, PER_EPOCH);
const straightSeconds = (Date.now() - t0) / 1000;
const epochMs = (JSON.parse(readFileSync(join(straight, 'run.json'), 'utf8')).epochs as Array<{ seconds: number }>)
  .reduce((s, e) => s + e.seconds * 1000, 0) / Number(values.epochs);
console.log(`straight run: ${straightSeconds.toFixed(1)} s, ${epochMs.toFixed(0)} ms per epoch`);

// Kill moments: after 0..2 epochs' worth of batch events, plus up to one epoch's time,
// so kills land in start-up, checkpoint loading, batches, evaluation and saves.
const rng = new Rng(Number(values.seed));
const signals: NodeJS.Signals[] = [...Array<NodeJS.Signals>(Number(values.kills)).fill('SIGKILL'), ...Array<NodeJS.Signals>(Number(values.terms)).fill('SIGTERM')];
const order = rng.permutation(signals.length);
const rounds: KillRound[] = Array.from(order, (k) => ({
  signal: signals[k]!,
  afterBatches: (signals[k] === 'SIGKILL' ? 0 : 1) + rng.int(2 * PER_EPOCH),
  delayMs: Math.round(rng.next() * epochMs),
}));

const out = join(root, 'killed');
const t1 = Date.now();
console.log('round signal  after+ms      exit     resumed at-kill ckpt  lost folder          in-save');
let shown = 0;
const reports = await runKillRounds({
  argv,
  out,
  perEpoch: PER_EPOCH,
  rounds,
  log: (r) =>
    console.log(
      `${String(++shown).padStart(5)} ${r.signal.padEnd(7)} ${`${r.afterBatches}+${r.delayMs}`.padEnd(12)} ${String(r.exit).padEnd(8)} ` +
        `${String(r.resumed).padEnd(7)} ${String(r.stepAtKill).padStart(7)} ${String(r.checkpointStep).padStart(5)} ${String(r.lostSteps).padStart(5)} ` +
        `${String(r.checkpointFolder).padEnd(15)} ${r.duringSave}${r.finished ? ' (had finished)' : ''}`,
    ),
});
await finishRun(argv, out, PER_EPOCH);
const same = ['weights.bin', 'optimizer.bin'].every((f) => file(out, f).equals(file(straight, f)));
const losses = (dir: string): string => JSON.stringify(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).epochs.map((e: { trainLoss: number }) => e.trainLoss));
const sameLosses = losses(out) === losses(straight);

const kills = reports.filter((r) => r.signal === 'SIGKILL');
const terms = reports.filter((r) => r.signal === 'SIGTERM');
const max = (rs: typeof reports): number => Math.max(0, ...rs.map((r) => r.lostSteps));
console.log(`\n${reports.length} rounds in ${((Date.now() - t1) / 1000).toFixed(0)} s: ${kills.length} SIGKILL (max ${max(kills)} of ${PER_EPOCH} iterations/epoch lost), ` +
  `${terms.length} SIGTERM (max ${max(terms)} lost, exits ${[...new Set(terms.map((r) => r.exit))].join('/')})`);
console.log(`kills inside a save: ${reports.filter((r) => r.duringSave).length}; resumed from checkpoint.old: ${reports.filter((r) => r.checkpointFolder === 'checkpoint.old').length}; ` +
  `rounds after the run had finished: ${reports.filter((r) => r.finished).length}`);
console.log(`final weights and momentum ${same ? 'identical to' : 'DIFFERENT from'} the straight run; per-epoch losses ${sameLosses ? 'identical' : 'DIFFERENT'}`);
rmSync(root, { recursive: true, force: true });
process.exit(same && sameLosses ? 0 : 1);
