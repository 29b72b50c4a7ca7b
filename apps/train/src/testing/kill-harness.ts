/**
 * Test support for the kill tests: runs `resnet-train train` as a child
 * process, kills it at a chosen moment (SIGKILL, or a stop signal it handles),
 * and checks what it left: a valid checkpoint (every file re-read and checked
 * against state.json's checksums), no more than one epoch of work lost (none
 * for a handled signal), and the exit code the signal implies. Used by
 * kill.test.ts (a few rounds) and tools/kill-test.ts (20 SIGKILL + 10 SIGTERM).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signalExitCode } from '../cli/signals.js';
import { checkpointFolders, hasCheckpoint } from '../train/checkpoint.js';
import { readCheckpointFolder } from '../train/checkpoint-files.js';
import { type TrainEvent } from '../train/events.js';

/** The repository root (tsx resolves from there) and the CLI's source. */
export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

/** When and how to kill one run. */
export interface KillRound {
  signal: NodeJS.Signals;
  /** Batch events of this run to wait for first (0: count from the spawn). */
  afterBatches: number;
  /** Then wait this long. */
  delayMs: number;
}

/** What one round did and left. */
export interface RoundReport extends KillRound {
  /** Whether the run resumed from a checkpoint. */
  resumed: boolean;
  /** Exit code, or the signal that ended the process. */
  exit: number | NodeJS.Signals;
  /** Iterations the run had reported done when the signal was sent. */
  stepAtKill: number;
  /** Iteration count of the newest valid checkpoint afterwards (0: none). */
  checkpointStep: number;
  /** `checkpoint` or `checkpoint.old` (null: none yet). */
  checkpointFolder: string | null;
  /** checkpoint.tmp was on disk afterwards: the kill landed inside a save. */
  duringSave: boolean;
  /** Iterations lost: reported done but not in the checkpoint. */
  lostSteps: number;
  /** Whether the run had already finished when the signal came. */
  finished: boolean;
}

/** The newest valid checkpoint of a run folder (step and folder), or null. */
function newestValid(out: string): { step: number; dir: string; complete: boolean } | null {
  for (const dir of checkpointFolders(out)) {
    if (!existsSync(dir)) continue;
    try {
      const { state } = readCheckpointFolder(dir);
      return { step: state.step, dir, complete: state.complete };
    } catch {
      // damaged: the next one is the fallback
    }
  }
  return null;
}

/** Spawns one `train` run; resolves with its exit and the last iteration it reported. */
function runOnce(argv: string[], out: string, kill: KillRound | null, perEpoch: number): Promise<{ exit: number | NodeJS.Signals; stepAtKill: number; step: number; finished: boolean }> {
  const resume = hasCheckpoint(out);
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'train', ...argv, '--out', out, '--json', ...(resume ? ['--resume'] : [])], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let step = 0;
  let stepAtKill = -1;
  let batches = 0;
  let finished = false;
  let stderr = '';
  const fire = (): void => {
    if (!kill) return;
    setTimeout(() => {
      stepAtKill = step;
      child.kill(kill.signal);
    }, kill.delayMs);
  };
  if (kill && kill.afterBatches === 0) fire();
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let e: TrainEvent;
      try {
        e = JSON.parse(line) as TrainEvent;
      } catch {
        continue;
      }
      if (e.type === 'batch') {
        step = (e.epoch - 1) * perEpoch + e.batch;
        if (++batches === kill?.afterBatches) fire();
      }
      if (e.type === 'done' && e.status === 'complete') finished = true;
    }
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => {
      const exit = code ?? sig!;
      if (kill === null && exit !== 0) reject(new Error(`train exited ${exit}: ${stderr.slice(-2000)}`));
      resolve({ exit, stepAtKill: stepAtKill < 0 ? step : stepAtKill, step, finished });
    });
  });
}

/** Runs the rounds in order, each resuming what the last left; throws at the first violated guarantee. */
export async function runKillRounds(o: { argv: string[]; out: string; perEpoch: number; rounds: KillRound[]; log?: (r: RoundReport) => void }): Promise<RoundReport[]> {
  const reports: RoundReport[] = [];
  for (const [i, round] of o.rounds.entries()) {
    const resumed = newestValid(o.out) !== null;
    const r = await runOnce(o.argv, o.out, round, o.perEpoch);
    const ck = newestValid(o.out);
    const report: RoundReport = {
      ...round,
      resumed,
      exit: r.exit,
      stepAtKill: r.stepAtKill,
      checkpointStep: ck?.step ?? 0,
      checkpointFolder: ck ? ck.dir.slice(o.out.length + 1) : null,
      duringSave: existsSync(join(o.out, 'checkpoint.tmp')),
      lostSteps: Math.max(0, r.stepAtKill - (ck?.step ?? 0)),
      finished: r.finished,
    };
    reports.push(report);
    o.log?.(report);
    const where = `round ${i + 1} (${round.signal} after ${round.afterBatches} batches + ${round.delayMs} ms)`;
    const handled = round.signal !== 'SIGKILL';
    if (r.finished) {
      if (r.exit !== 0) throw new Error(`${where}: the run finished but exited ${r.exit}`);
      continue;
    }
    // A run stopped by SIGHUP ends by re-raising it (cli.ts); death by another handled signal is allowed
    // only before the handler is installed (no batch run yet).
    const expected = round.signal === 'SIGHUP' ? 'SIGHUP' : signalExitCode(round.signal);
    if (handled && r.exit !== expected && !(r.exit === round.signal && r.step === 0)) {
      throw new Error(`${where}: expected exit ${expected}, got ${r.exit}`);
    }
    if (!handled && r.exit !== 'SIGKILL') throw new Error(`${where}: expected death by SIGKILL, got exit ${r.exit}`);
    if (report.lostSteps > (handled ? 0 : o.perEpoch)) {
      throw new Error(`${where}: ${report.lostSteps} iterations lost (at ${r.stepAtKill}, checkpoint at ${report.checkpointStep}); at most ${handled ? 0 : o.perEpoch} allowed`);
    }
  }
  return reports;
}

/** Resumes the run to its end (no kill); throws unless it exits 0. */
export async function finishRun(argv: string[], out: string, perEpoch: number): Promise<void> {
  await runOnce(argv, out, null, perEpoch);
}
