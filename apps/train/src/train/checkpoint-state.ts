/**
 * state.json of a checkpoint: what it holds, and its validation. state.json is
 * written last and records the size and SHA-256 of every other file of the
 * checkpoint, so a damaged or half-written file is found before it is parsed.
 * Everything in it is checked: types, ranges, indices (the epoch's shuffled
 * order indexes the data), and the model name, which later becomes part of
 * file names and must be a known model, never a path.
 */
import { z } from 'zod';
import { checkDataSpec } from '../data/index.js';
import { checkModelName } from '../models.js';
import { type RngState } from '@resnet/blocks';
import { describeIssues, storedRecipeSchema } from './recipe.js';
import { type Recipe } from './recipe.js';
import { type EpochMetrics } from './types.js';

/** The files of a checkpoint besides state.json, in the order they are written. */
export const CHECKPOINT_FILES = ['model.json', 'weights.bin', 'optimizer.json', 'optimizer.bin'] as const;
/** One of {@link CHECKPOINT_FILES}. */
export type CheckpointFile = (typeof CHECKPOINT_FILES)[number];

/** Size and SHA-256 (hex) of one file, as state.json records them. */
export interface FileRecord {
  bytes: number;
  sha256: string;
}

/** Everything besides tensors that a checkpoint stores. */
export interface CheckpointState {
  /** Format version: 2 records file checksums; 1 (older resnet-train) does not, and is still read. */
  version: 1 | 2;
  /** Zoo model name and the options it was built with. */
  model: { name: string; options: Record<string, unknown> };
  /** The `--data` value. */
  data: string;
  /** The full training recipe. */
  recipe: Recipe;
  /** Seed of the run. */
  seed: number;
  /** Epochs completed. */
  epoch: number;
  /** Iterations completed. */
  step: number;
  /** RNG state after the last completed iteration. */
  rng: RngState;
  /** Set when stopped inside an epoch (by a signal): where to continue. */
  partial: null | {
    /** Batches of the current epoch already done. */
    batch: number;
    /** The current epoch's shuffled order (indices of training images). */
    order: number[];
    /** Sums so far. */
    lossSum: number;
    wrong: number;
    seen: number;
    seconds: number;
  };
  /** Per-epoch metrics so far. */
  metrics: EpochMetrics[];
  /** Whether the run reached its last epoch. */
  complete: boolean;
  /** Backend that produced it. */
  backend: string;
  /** Size and checksum of each other file (version 2; written by saveCheckpoint). */
  files?: Record<CheckpointFile, FileRecord>;
}

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
// JSON writes NaN (an empty test split's error) as null.
const metric = z.number().nullable().transform((v) => v ?? NaN);
const uint32 = z.number().int().min(0).max(0xffffffff);
const fileRecord = z.strictObject({ bytes: count, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits') });

/** Turns a function that throws a clear message into a zod check that reports it. */
const via = (check: (v: string) => void) =>
  z.string().superRefine((v, ctx) => {
    try {
      check(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  });

const stateSchema = z
  .strictObject({
    version: z.union([z.literal(1), z.literal(2)]),
    model: z.strictObject({ name: via(checkModelName), options: z.record(z.string(), z.unknown()) }),
    data: via(checkDataSpec),
    recipe: storedRecipeSchema,
    seed: z.number().int().refine(Number.isSafeInteger, { message: 'must be a safe integer' }),
    epoch: count,
    step: count,
    rng: z.tuple([uint32, uint32, uint32, uint32]),
    partial: z
      .strictObject({ batch: count.min(1), order: z.array(count), lossSum: finite, wrong: count, seen: count, seconds: finite })
      .nullable(),
    metrics: z.array(
      z.strictObject({ epoch: count.min(1), trainLoss: metric, trainError: metric, testError: metric, seconds: metric }),
    ),
    complete: z.boolean(),
    backend: z.string(),
    files: z.strictObject({ 'model.json': fileRecord, 'weights.bin': fileRecord, 'optimizer.json': fileRecord, 'optimizer.bin': fileRecord }).optional(),
  })
  .superRefine((s, ctx) => {
    const issue = (path: Array<string | number>, message: string): void => void ctx.addIssue({ code: 'custom', path, message });
    if (s.version === 2 && !s.files) issue(['files'], 'version 2 needs the file checksums');
    if (s.epoch > s.recipe.epochs) issue(['epoch'], `${s.epoch} is beyond the recipe's ${s.recipe.epochs} epochs`);
    if (s.step < s.epoch) issue(['step'], `${s.step} iterations cannot complete ${s.epoch} epochs`);
    if (s.metrics.length !== s.epoch) issue(['metrics'], `${s.metrics.length} entries for ${s.epoch} completed epochs`);
    s.metrics.forEach((m, i) => m.epoch !== i + 1 && issue(['metrics', i, 'epoch'], `${m.epoch}, expected ${i + 1}`));
    const p = s.partial;
    if (p) {
      if (s.complete) issue(['partial'], 'a complete run has no epoch in progress');
      if (p.wrong > p.seen) issue(['partial', 'wrong'], `${p.wrong} errors among ${p.seen} images`);
      if (p.seen > p.order.length) issue(['partial', 'seen'], `${p.seen} images seen of an epoch of ${p.order.length}`);
      const seen = new Uint8Array(p.order.length);
      const bad = p.order.findIndex((k) => k >= p.order.length || seen[k]!++ > 0);
      if (bad >= 0) issue(['partial', 'order', bad], `${p.order[bad]}: the order must be a permutation of 0…${p.order.length - 1}`);
    }
  });

/** Parses and validates the text of a state.json; errors name `file` and the field. */
export function parseState(text: string, file: string): CheckpointState {
  if (text.length === 0) throw new Error(`${file}: empty file (0 bytes)`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const r = stateSchema.safeParse(value);
  if (!r.success) throw new Error(`${file}: ${describeIssues(r.error)}`);
  return r.data as CheckpointState;
}

/**
 * Checks a state against the data it resumes on: the shuffled order must index
 * exactly this training split, and the iteration count must agree with the
 * epochs and batches done (data and recipe are compared before this).
 */
export function checkStateAgainstData(s: CheckpointState, file: string, trainCount: number): void {
  const per = Math.ceil(trainCount / s.recipe.batchSize);
  const fail = (m: string): never => {
    throw new Error(`${file}: ${m}`);
  };
  if (s.partial) {
    if (s.partial.order.length !== trainCount) fail(`partial.order has ${s.partial.order.length} entries, but the training split has ${trainCount} images`);
    if (s.partial.batch >= per) fail(`partial.batch ${s.partial.batch} is not inside an epoch of ${per} batches`);
  }
  if (!s.complete && s.step !== s.epoch * per + (s.partial?.batch ?? 0)) {
    fail(`step ${s.step} does not match ${s.epoch} epochs of ${per} batches + ${s.partial?.batch ?? 0}`);
  }
}
