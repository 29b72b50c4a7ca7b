/**
 * `resnet-train train`: trains one zoo model on one dataset with one recipe,
 * checkpointing every epoch into OUT/checkpoint and writing OUT/run.json (the
 * results.json run entry) when done.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, loadData } from '../data/index.js';
import { buildSeededModel, checkModelName, describeModel, isCifarFamily, type ModelSpec, trainableParams } from '../models.js';
import { createReporter, type ReporterMode } from '../output/reporter.js';
import { trainModel, type TrainOutcome } from '../train/loop.js';
import { type Recipe } from '../train/recipe.js';
import { type RunResult } from '../train/types.js';
import { type BackendInfo } from '../backend.js';

/** Everything `train` needs after flag parsing. */
export interface TrainJob {
  /** Zoo model name. */
  model: string;
  /** `--data` value. */
  data: string;
  /** Recipe. */
  recipe: Recipe;
  /** Seed. */
  seed: number;
  /** Output folder. */
  out: string;
  /** Continue from OUT/checkpoint. */
  resume: boolean;
  /** Stop after this many epochs of this invocation. */
  stopAfter?: number;
  /** Output mode. */
  output: ReporterMode;
  /** Label for output lines (degradation runs several). */
  prefix?: string;
  /** Already loaded data (degradation shares it between runs). */
  dataset?: Dataset;
}

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, error: 1, diverged: 3, interrupted: 130 } as const;

/** Runs one training job; returns the outcome and (when complete) the run's result. */
export async function runTrainJob(
  job: TrainJob,
  backend: BackendInfo,
  signal: { stop: boolean },
): Promise<{ outcome: TrainOutcome; result: RunResult }> {
  checkModelName(job.model);
  const dataset = job.dataset ?? loadData(job.data, { trainSize: job.recipe.trainSize || undefined, testSize: job.recipe.testSize || undefined });
  const emit = createReporter(job.output, job.prefix ?? '');
  const spec: ModelSpec = { inputShape: dataset.shape, numClasses: dataset.numClasses, ...(isCifarFamily(job.model) ? { widths: job.recipe.widths } : {}) };
  mkdirSync(job.out, { recursive: true });
  const wall0 = Date.now();
  const cpu0 = process.cpuUsage();
  const outcome = await trainModel({
    model: { name: job.model, options: spec as unknown as Record<string, unknown> },
    build: () => buildSeededModel(job.model, spec, job.seed),
    dataSpec: job.data,
    dataset,
    recipe: job.recipe,
    seed: job.seed,
    out: job.out,
    resume: job.resume,
    stopAfterEpochs: job.stopAfter,
    backend,
    signal,
    emit,
  });
  const { depth, residual } = describeModel(job.model);
  const last = outcome.metrics[outcome.metrics.length - 1];
  const result: RunResult = {
    model: job.model,
    residual,
    depth,
    params: trainableParams(outcome.model),
    epochs: outcome.metrics,
    final: { trainError: last?.trainError ?? NaN, testError: last?.testError ?? NaN },
  };
  if (outcome.status === 'complete') writeFileSync(join(job.out, 'run.json'), JSON.stringify(result, null, 1));
  // CPU time next to wall time: on a shared machine wall time says little about the cost of a run.
  const cpu = process.cpuUsage(cpu0);
  writeFileSync(join(job.out, 'timing.json'), JSON.stringify({ wallSeconds: (Date.now() - wall0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, status: outcome.status }));
  emit({ type: 'done', status: outcome.status, out: job.out });
  outcome.model.dispose();
  return { outcome, result };
}
