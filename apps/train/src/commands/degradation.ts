/**
 * `resnet-train degradation`: trains plain-20, plain-56, ResNet-20 and
 * ResNet-56 with one recipe and writes results.json, curves.svg, curves.png and
 * report.md. Each model is an ordinary `train` run in OUT/runs/<model> (so
 * every run checkpoints and resumes on its own). With `jobs` > 1 the runs go to
 * child processes, each with its own single-threaded wasm backend: tfjs turns
 * wasm threads off under Node, so processes are how both cores get used.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_BACKENDS, type BackendInfo, type BackendName } from '../backend.js';
import { loadData } from '../data/index.js';
import { renderSvg, curvesSpec, svgToPng } from '../output/plot.js';
import { createReporter, type ReporterMode } from '../output/reporter.js';
import { type Results, reportMarkdown, verdict } from '../output/results.js';
import { STOP_EXIT_CODES, STOP_SIGNALS, signalExitCode } from '../cli/signals.js';
import { hasCheckpoint } from '../train/checkpoint.js';
import { type TrainEvent } from '../train/events.js';
import { type Recipe } from '../train/recipe.js';
import { type RunResult } from '../train/types.js';
import { EXIT, runTrainJob } from './train.js';

/** Everything `degradation` needs after flag parsing. */
export interface DegradationJob {
  /** Preset the recipe came from. */
  preset: string;
  /** The recipe (preset plus overrides). */
  recipe: Recipe;
  /** `--data` value. */
  data: string;
  /** Output folder. */
  out: string;
  /** Seed shared by all runs (same data order for every model). */
  seed: number;
  /** Backend request, passed on to child processes. */
  backend: BackendName;
  /** `--allow-software`, passed on to child processes. */
  allowSoftware?: boolean;
  /** Parallel runs (1 = in this process, one after another). */
  jobs: number;
  /** Threads of our wasm kernels each child process starts (the parent's own runs use what it selected). */
  wasmThreads: number;
  /** Output mode. */
  output: ReporterMode;
  /** Continue unfinished runs and skip finished ones. */
  resume: boolean;
  /** Delete OUT/runs (an earlier experiment) before starting. */
  overwrite?: boolean;
  /** Models to train. */
  models: string[];
}

/** Folder of one model's run. */
function runDir(out: string, model: string): string {
  return join(out, 'runs', model);
}

function readRun(out: string, model: string): RunResult | null {
  const p = join(runDir(out, model), 'run.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as RunResult) : null;
}

/** Longest runs first, so two workers finish at about the same time. */
function schedule(models: string[]): string[] {
  const depth = (m: string): number => Number(/(\d+)$/.exec(m)?.[1] ?? 0);
  return [...models].sort((a, b) => depth(b) - depth(a));
}

function childArgs(job: DegradationJob, backend: BackendInfo, model: string, resume: boolean): string[] {
  // Children take the backend the parent found, rather than probing every candidate again
  // ('tensorflow' is the name of both the CPU and GPU tfjs-node backends, so that request passes through).
  const childBackend = backend.name === 'tensorflow' || !(NODE_BACKENDS as readonly string[]).includes(backend.name) ? job.backend : backend.name;
  return [
    ...process.execArgv,
    process.argv[1]!,
    'train',
    '--model', model,
    '--data', job.data,
    '--recipe-json', JSON.stringify(job.recipe),
    '--seed', String(job.seed),
    '--out', runDir(job.out, model),
    '--backend', childBackend,
    '--wasm-threads', String(job.wasmThreads),
    ...(job.allowSoftware ? ['--allow-software'] : []),
    '--json',
    ...(resume ? ['--resume'] : []),
  ];
}

/** Runs one model in a child process; resolves to its exit code. */
function runChild(job: DegradationJob, backend: BackendInfo, model: string, resume: boolean, children: Set<ReturnType<typeof spawn>>): Promise<number> {
  const prefix = `[${model}] `;
  const report = createReporter(job.output === 'json' ? 'json' : 'plain', prefix);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, childArgs(job, backend, model, resume), { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let buf = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          report(JSON.parse(line) as TrainEvent);
        } catch {
          process.stderr.write(`${prefix}${line}\n`);
        }
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) process.stderr.write(`${prefix}${line}\n`);
    });
    child.on('close', (code, sig) => {
      children.delete(child);
      resolve(code ?? (sig ? signalExitCode(sig) : EXIT.error));
    });
  });
}

/** Runs the experiment; returns the exit code (0, 130 interrupted, 3 diverged, 1 failed). */
export async function runDegradation(job: DegradationJob, backend: BackendInfo, signal: { stop: boolean }): Promise<number> {
  const t0 = Date.now();
  if (job.overwrite) rmSync(join(job.out, 'runs'), { recursive: true, force: true });
  mkdirSync(job.out, { recursive: true });
  const todo: string[] = [];
  for (const m of schedule(job.models)) {
    if (job.resume && readRun(job.out, m)) {
      process.stderr.write(`[${m}] already finished (${join(runDir(job.out, m), 'run.json')}); skipped\n`);
    } else if (!job.resume && hasCheckpoint(runDir(job.out, m))) {
      throw new Error(`'${runDir(job.out, m)}' holds a checkpoint from an earlier run; pass --resume to continue it, --overwrite to start again, or choose another --out`);
    } else {
      todo.push(m);
    }
  }
  const codes: number[] = [];
  if (job.jobs <= 1) {
    const limits = { trainSize: job.recipe.trainSize || undefined, testSize: job.recipe.testSize || undefined };
    const dataset = todo.length > 0 ? loadData(job.data, limits) : undefined;
    for (const m of todo) {
      const { outcome } = await runTrainJob(
        { model: m, data: job.data, recipe: job.recipe, seed: job.seed, out: runDir(job.out, m), resume: job.resume && hasCheckpoint(runDir(job.out, m)), output: job.output, prefix: `[${m}] `, dataset },
        backend,
        signal,
      );
      const code = outcome.status === 'complete' ? EXIT.ok : outcome.status === 'diverged' ? EXIT.diverged : EXIT.interrupted;
      codes.push(code);
      if (code !== EXIT.ok) break;
    }
  } else {
    const children = new Set<ReturnType<typeof spawn>>();
    // A signal sent to this process alone (a scheduler's SIGTERM) reaches the children only this way.
    const forward = (sig: NodeJS.Signals = 'SIGINT'): void => {
      for (const c of children) c.kill(sig);
    };
    for (const sig of STOP_SIGNALS) process.on(sig, forward);
    const queue = [...todo];
    const worker = async (): Promise<void> => {
      for (let m = queue.shift(); m !== undefined; m = queue.shift()) {
        if (signal.stop) return;
        const code = await runChild(job, backend, m, job.resume && hasCheckpoint(runDir(job.out, m)), children);
        codes.push(code);
        if (code !== EXIT.ok) {
          // One failed or stopped run stops the others (they checkpoint and can be resumed).
          signal.stop = true;
          forward();
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(job.jobs, todo.length) }, worker));
    for (const sig of STOP_SIGNALS) process.off(sig, forward);
  }
  const failed = codes.find((c) => c !== EXIT.ok);
  if (failed !== undefined) {
    process.stderr.write(
      STOP_EXIT_CODES.includes(failed)
        ? `degradation: stopped; finished runs are kept, continue with the same command plus --resume\n`
        : `degradation: a run failed (exit ${failed}); see its messages above\n`,
    );
    return failed;
  }
  const runs = job.models.map((m) => readRun(job.out, m)).filter((r): r is RunResult => r !== null);
  const results: Results = {
    data: job.data,
    recipe: { ...job.recipe, preset: job.preset, seed: job.seed },
    backend: `${backend.name} (${backend.device})`,
    runs,
  };
  const minutes = (Date.now() - t0) / 60000;
  writeFileSync(join(job.out, 'results.json'), JSON.stringify(results, null, 1));
  const svg = await renderSvg(curvesSpec(runs, `Degradation: plain vs residual (${job.preset}, ${job.data})`));
  writeFileSync(join(job.out, 'curves.svg'), svg);
  writeFileSync(join(job.out, 'curves.png'), svgToPng(svg));
  const cpuMinutes = job.models.reduce((sum, m) => {
    const t = join(runDir(job.out, m), 'timing.json');
    return sum + (existsSync(t) ? (JSON.parse(readFileSync(t, 'utf8')) as { cpuSeconds: number }).cpuSeconds / 60 : 0);
  }, 0);
  writeFileSync(join(job.out, 'report.md'), reportMarkdown(results, minutes, cpuMinutes));
  const say = (s: string): void => {
    if (job.output === 'json') process.stdout.write(`${JSON.stringify({ type: 'message', text: s })}\n`);
    else process.stderr.write(`${s}\n`);
  };
  say(`\nmodel      final train error   final test error`);
  for (const r of runs) say(`${r.model.padEnd(10)} ${(100 * r.final.trainError).toFixed(2).padStart(16)}% ${(100 * r.final.testError).toFixed(2).padStart(17)}%`);
  for (const l of verdict(runs)) say(l);
  say(`wrote ${join(job.out, 'results.json')}, curves.svg, curves.png, report.md (${minutes.toFixed(1)} min wall, ${cpuMinutes.toFixed(1)} min CPU over ${job.jobs} process(es))`);
  return EXIT.ok;
}
