/**
 * The training loop: epochs of shuffled batches, per-iteration learning rate,
 * test evaluation and an atomic checkpoint after every epoch, exact resume,
 * graceful stop (a signal finishes the batch and saves), and a NaN/Inf guard:
 * a step whose loss or update is not finite is not applied, and the run stops
 * without overwriting the last good checkpoint.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { gatherBatch } from '../data/augment.js';
import { type Dataset } from '../data/index.js';
import { Rng } from '@resnet/blocks';
import { type CheckpointState, checkpointDir, hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { checkStateAgainstData } from './checkpoint-state.js';
import { learningRate, type ScheduleSpec } from './schedule.js';
import { Sgd } from './sgd.js';
import { evaluate, trainableVariables, trainStep } from './step.js';
import { type Recipe } from './recipe.js';
import { type EpochMetrics } from './types.js';
import { type TrainEvent } from './events.js';
import { registerTrainingGradients } from '@resnet/backend';

/** Inputs of {@link trainModel}. */
export interface TrainOptions {
  /** Zoo name and options, recorded in checkpoints. */
  model: { name: string; options: Record<string, unknown> };
  /** Builds a fresh model (only called when not resuming). */
  build: () => tf.LayersModel;
  /** The `--data` value, recorded in checkpoints. */
  dataSpec: string;
  /** The loaded data. */
  dataset: Dataset;
  /** The recipe. */
  recipe: Recipe;
  /** Seed of shuffles and augmentation. */
  seed: number;
  /** Output folder (checkpoint goes to OUT/checkpoint). */
  out: string;
  /** Continue from OUT/checkpoint. */
  resume: boolean;
  /** Stop (with a checkpoint) after this many epochs of this invocation. */
  stopAfterEpochs?: number;
  /** Backend in use (name recorded in checkpoints, device announced at start). */
  backend: { name: string; device: string };
  /** Receives progress events. */
  emit: (e: TrainEvent) => void;
  /** Set `stop` to true (e.g. on SIGINT) to finish the batch, save and return. */
  signal: { stop: boolean };
}

/** How a run ended. */
export interface TrainOutcome {
  /** complete: all epochs; paused: --stop-after reached; interrupted: stop signal; diverged: NaN/Inf loss or update. */
  status: 'complete' | 'paused' | 'interrupted' | 'diverged';
  /** The trained model (caller disposes). */
  model: tf.LayersModel;
  /** Metrics of completed epochs. */
  metrics: EpochMetrics[];
  /** Epochs completed. */
  epoch: number;
}

/** Iterations per epoch (the last batch may be smaller, as PyTorch's drop_last=False). */
function stepsPerEpoch(recipe: Recipe, trainCount: number): number {
  return Math.ceil(trainCount / recipe.batchSize);
}

/** The schedule of a recipe for a given number of training images. */
export function scheduleOf(recipe: Recipe, trainCount: number): ScheduleSpec {
  const per = stepsPerEpoch(recipe, trainCount);
  const total = recipe.maxSteps > 0 ? Math.min(recipe.maxSteps, per * recipe.epochs) : per * recipe.epochs;
  return {
    kind: recipe.schedule,
    lr: recipe.lr,
    totalSteps: total,
    warmupSteps: Math.round(recipe.warmupEpochs * per),
    milestones: [...recipe.milestones, ...recipe.milestoneEpochs.map((e) => e * per)].sort((a, b) => a - b),
    gamma: 0.1,
  };
}

function sameRecipe(a: Recipe, b: Recipe): string | null {
  for (const k of Object.keys(a) as Array<keyof Recipe>) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `${k}: checkpoint ${JSON.stringify(b[k])}, now ${JSON.stringify(a[k])}`;
  }
  return null;
}

/** Trains (or resumes) one model; see the file comment. */
export async function trainModel(o: TrainOptions): Promise<TrainOutcome> {
  registerTrainingGradients();
  const { recipe } = o;
  const sgd = new Sgd({ momentum: recipe.momentum, nesterov: recipe.nesterov, weightDecay: recipe.weightDecay });

  let model: tf.LayersModel;
  let state: CheckpointState;
  let kept: Kept = null;
  if (o.resume) {
    if (!hasCheckpoint(o.out)) throw new Error(`--resume: no checkpoint in '${o.out}' (expected ${checkpointDir(o.out)}/state.json)`);
    const ck = await loadCheckpoint(o.out, {
      accept: (s, dir) => checkStateAgainstData(s, join(dir, 'state.json'), o.dataset.train.count),
      warn: (text) => o.emit({ type: 'message', text: `WARNING: ${text}` }),
    });
    const diff = sameRecipe(recipe, ck.state.recipe);
    if (ck.state.model.name !== o.model.name || ck.state.data !== o.dataSpec || ck.state.seed !== o.seed || diff) {
      ck.model.dispose();
      tf.dispose(ck.buffers ?? []);
      throw new Error(
        `--resume: the checkpoint in '${ck.dir}' was made with another set-up ` +
          `(model ${ck.state.model.name}, data ${ck.state.data}, seed ${ck.state.seed}${diff ? `; ${diff}` : ''}); ` +
          `resume with the same flags, or train into a new --out`,
      );
    }
    model = ck.model;
    state = ck.state;
    kept = { dir: ck.dir, epoch: state.epoch };
    sgd.setState(ck.buffers, trainableVariables(model));
    o.emit({ type: 'message', text: `resuming ${o.model.name} from ${ck.dir}: epoch ${state.epoch}${state.partial ? `, batch ${state.partial.batch}` : ''}, step ${state.step}` });
  } else {
    if (hasCheckpoint(o.out)) {
      throw new Error(`'${o.out}' already holds a checkpoint (${checkpointDir(o.out)}); pass --resume to continue it, or choose another --out`);
    }
    model = o.build();
    state = {
      version: 2,
      model: o.model,
      data: o.dataSpec,
      recipe,
      seed: o.seed,
      epoch: 0,
      step: 0,
      rng: new Rng(o.seed).state(),
      partial: null,
      metrics: [],
      complete: false,
      backend: o.backend.name,
    };
  }
  try {
    return await runEpochs(o, model, state, sgd, kept);
  } finally {
    sgd.dispose();
  }
}

/** The last checkpoint this run saved or resumed from. */
type Kept = { dir: string; epoch: number } | null;

/** The epochs themselves, from `initial` (fresh or resumed) to the end, a stop, or a NaN. */
async function runEpochs(o: TrainOptions, model: tf.LayersModel, initial: CheckpointState, sgd: Sgd, resumedFrom: Kept): Promise<TrainOutcome> {
  const { dataset, recipe } = o;
  const train = dataset.train;
  const shape = dataset.shape;
  const per = stepsPerEpoch(recipe, train.count);
  const schedule = scheduleOf(recipe, train.count);
  let state = initial;
  const vars = trainableVariables(model);
  o.emit({
    type: 'start',
    model: o.model.name,
    backend: o.backend.name,
    device: o.backend.device,
    params: vars.reduce((n, v) => n + v.size, 0),
    epochs: recipe.epochs,
    trainImages: train.count,
    testImages: dataset.test.count,
    data: o.dataSpec,
  });
  const rng = new Rng(state.rng);
  const aug = { crop: recipe.augment, flip: recipe.augment && dataset.flipSafe };
  const totalSteps = schedule.totalSteps;
  const epochsThisRun = o.stopAfterEpochs ?? Infinity;
  let epochsDone = 0;
  let kept = resumedFrom;

  const save = async (s: CheckpointState): Promise<void> => {
    state = s;
    await saveCheckpoint(o.out, model, sgd.state(), { ...s, rng: rng.state(), backend: o.backend.name });
    kept = { dir: checkpointDir(o.out), epoch: s.epoch };
  };

  while (state.epoch < recipe.epochs && state.step < totalSteps) {
    const epoch = state.epoch + 1;
    const p = state.partial;
    const order = p ? Int32Array.from(p.order) : rng.permutation(train.count);
    let lossSum = p?.lossSum ?? 0;
    let wrong = p?.wrong ?? 0;
    let seen = p?.seen ?? 0;
    const priorSeconds = p?.seconds ?? 0;
    const t0 = Date.now();
    const epochSteps = Math.min(per, totalSteps - (state.step - (p?.batch ?? 0)));
    o.emit({ type: 'epochStart', epoch, epochs: recipe.epochs, batches: epochSteps, startBatch: p?.batch ?? 0 });
    let b = p?.batch ?? 0;
    for (; b < epochSteps; b++) {
      const idx = order.subarray(b * recipe.batchSize, Math.min(train.count, (b + 1) * recipe.batchSize));
      const batch = gatherBatch(train, idx, shape, rng, aug);
      const lr = learningRate(schedule, state.step);
      const x = tf.tensor4d(batch.images, [idx.length, ...shape]);
      const y = tf.tensor1d(batch.labels, 'int32');
      const r = await trainStep(model, vars, sgd, x, y, dataset.numClasses, lr);
      x.dispose();
      y.dispose();
      if (r.rejected) {
        const what = r.rejected === 'loss' ? `loss became ${r.loss}` : `the update would have made weights or BatchNorm statistics NaN/Inf (loss ${r.loss})`;
        o.emit({
          type: 'diverged',
          reason: r.rejected,
          epoch,
          batch: b + 1,
          loss: r.loss,
          lr,
          checkpoint: kept?.dir ?? null,
          text:
            `${what} at epoch ${epoch}, batch ${b + 1} (lr ${lr.toPrecision(3)}); the step was not applied and training stopped. ` +
            (kept ? `The last good checkpoint (epoch ${kept.epoch}) is kept in ${kept.dir}. ` : 'No epoch had completed, so there is no checkpoint. ') +
            'Try a lower --lr or a longer --warmup-epochs.',
        });
        return { status: 'diverged', model, metrics: state.metrics, epoch: state.epoch };
      }
      state.step++;
      lossSum += r.loss * idx.length;
      wrong += r.wrong;
      seen += idx.length;
      const elapsed = priorSeconds + (Date.now() - t0) / 1000;
      o.emit({
        type: 'batch',
        epoch,
        batch: b + 1,
        batches: epochSteps,
        loss: r.loss,
        accuracy: 1 - r.wrong / idx.length,
        lr,
        imagesPerSecond: (seen - (p?.seen ?? 0)) / Math.max(1e-9, (Date.now() - t0) / 1000),
        etaSeconds: ((epochSteps - b - 1) * elapsed) / Math.max(1, b + 1 - (p?.batch ?? 0)),
      });
      // Yield to the event loop so a Ctrl-C handler can run between batches.
      await new Promise((r) => setImmediate(r));
      if (o.signal.stop && b + 1 < epochSteps) {
        await save({
          ...state,
          partial: { batch: b + 1, order: Array.from(order), lossSum, wrong, seen, seconds: elapsed },
        });
        o.emit({ type: 'interrupted', epoch, batch: b + 1, checkpoint: checkpointDir(o.out) });
        return { status: 'interrupted', model, metrics: state.metrics, epoch: state.epoch };
      }
    }
    const test = await evaluate(model, dataset.test.images, dataset.test.labels, shape);
    const m: EpochMetrics = {
      epoch,
      trainLoss: lossSum / seen,
      trainError: wrong / seen,
      testError: test.error,
      seconds: priorSeconds + (Date.now() - t0) / 1000,
    };
    const metrics = [...state.metrics, m];
    const complete = epoch >= recipe.epochs || state.step >= totalSteps;
    await save({ ...state, epoch, partial: null, metrics, complete });
    o.emit({ type: 'epoch', ...m, checkpoint: checkpointDir(o.out) });
    epochsDone++;
    if (o.signal.stop) {
      o.emit({ type: 'interrupted', epoch, batch: b, checkpoint: checkpointDir(o.out) });
      return { status: complete ? 'complete' : 'interrupted', model, metrics, epoch };
    }
    if (!complete && epochsDone >= epochsThisRun) {
      return { status: 'paused', model, metrics, epoch };
    }
  }
  return { status: 'complete', model, metrics: state.metrics, epoch: state.epoch };
}
