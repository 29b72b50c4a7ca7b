/**
 * The recipe as data from outside the flag parser (`--recipe-json`, a
 * checkpoint's state.json): every field checked against the same limits the
 * flags have, including float32's range for the real numbers — the weights are
 * float32, so `--lr 1e39` would be Infinity in every update.
 */
import { z } from 'zod';
import { SCHEDULES } from './schedule.js';
import { type Recipe } from './types.js';

/** Largest finite float32 (2^128 − 2^104). */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Whether `x` survives conversion to float32 as a finite number, and (unless
 * `x` is 0) as a non-zero one: 1e39 becomes Infinity and 1e-46 becomes 0.
 */
export function fitsFloat32(x: number): boolean {
  const f = Math.fround(x);
  return Number.isFinite(f) && (x === 0 || f !== 0);
}

/** The range float32 represents, for error messages. */
export const FLOAT32_RANGE = 'within float32 (magnitude 1.4e-45 to 3.4e38)';

const f32 = z.number().refine(fitsFloat32, { message: `must be a number ${FLOAT32_RANGE}` });
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const positive = count.min(1);

/** The schema of a {@link Recipe}; unknown keys are refused. */
export const recipeSchema: z.ZodType<Recipe> = z
  .strictObject({
    epochs: positive,
    maxSteps: count,
    batchSize: positive,
    lr: f32.refine((x) => x > 0, { message: 'must be > 0' }),
    schedule: z.enum(SCHEDULES),
    milestones: z.array(count),
    milestoneEpochs: z.array(count),
    warmupEpochs: f32.refine((x) => x >= 0, { message: 'must be >= 0' }),
    momentum: z.number().min(0).lt(1),
    nesterov: z.boolean(),
    weightDecay: f32.refine((x) => x >= 0, { message: 'must be >= 0' }),
    augment: z.boolean(),
    trainSize: count,
    testSize: count,
    widths: z.array(positive).length(3),
  })
  .refine((r) => r.warmupEpochs < r.epochs, { message: 'warmupEpochs must be less than epochs', path: ['warmupEpochs'] });

/** Formats zod issues as `path: message; …` (paths dotted from `prefix`). */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${[prefix, ...i.path.map(String)].filter((s) => s !== '').join('.') || '(top level)'}: ${i.message}`)
    .join('; ');
}

/** Parses a recipe from untrusted data; throws `<what>: <field>: <problem>`. */
export function checkRecipe(value: unknown, what: string): Recipe {
  const r = recipeSchema.safeParse(value);
  if (!r.success) throw new Error(`${what}: ${describeIssues(r.error, 'recipe')}`);
  return r.data;
}

/** `JSON.parse` of a text that must hold an object; errors say `<what>: …`. */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${what}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what}: expected a JSON object`);
  return v as Record<string, unknown>;
}
