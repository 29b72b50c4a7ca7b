/**
 * The training recipe, written once: a zod schema whose fields carry their
 * limits, their default and their help text. `Recipe` is its type,
 * `defaultRecipe()` its defaults, and the command line builds its recipe flags
 * from it (cli/recipe-options.ts). Data from outside the flag parser
 * (`--recipe-json`, a checkpoint's state.json) is checked against the same
 * limits, including float32's range for the real numbers — the weights are
 * float32, so `--lr 1e39` would be Infinity in every update.
 */
import { z } from 'zod';
import { SCHEDULES } from './schedule.js';

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

/**
 * Every field of a recipe with its limits, default and description. The
 * defaults are the recipe `resnet-train train` starts from: the paper's
 * optimiser (SGD, momentum 0.9, weight decay 1e-4, batch 128, lr 0.1) and widths
 * 16/32/64, with 10 epochs of cosine decay on all the data.
 */
export const recipeFields = z.strictObject({
  epochs: positive.default(10).describe('epochs to train'),
  maxSteps: count.default(0).describe('stop after this many iterations in total, even inside an epoch (0 = no limit)'),
  batchSize: positive.default(128).describe('images per batch'),
  lr: f32.refine((x) => x > 0, { message: 'must be > 0' }).default(0.1).describe('peak learning rate'),
  schedule: z.enum(SCHEDULES).default('cosine').describe('learning-rate schedule after warmup'),
  milestones: z.array(count).default(() => []).describe('iterations at which a step schedule divides the rate by 10 (the paper\'s 32k, 48k)'),
  milestoneEpochs: z.array(count).default(() => []).describe('epochs at which a step schedule divides the rate by 10'),
  warmupEpochs: f32.refine((x) => x >= 0, { message: 'must be >= 0' }).default(0).describe('epochs of linear learning-rate warmup (fractional allowed)'),
  momentum: z.number().min(0).lt(1).default(0.9).describe('SGD momentum in [0, 1)'),
  nesterov: z.boolean().default(false).describe('Nesterov momentum'),
  weightDecay: f32.refine((x) => x >= 0, { message: 'must be >= 0' }).default(1e-4).describe('L2 weight decay (PyTorch SGD weight_decay)'),
  augment: z.boolean().default(false).describe('pad-4 random crop (+ horizontal flip on CIFAR)'),
  trainSize: count.default(0).describe('use only the first N training images (0 = all)'),
  testSize: count.default(0).describe('use only the first N test images (0 = all)'),
  widths: z.array(positive).length(3, 'needs three stage widths, e.g. 16,32,64').default(() => [16, 32, 64]).describe('stage widths of CIFAR ResNets/plain nets'),
});

/** A complete training recipe: everything that decides the numbers of a run. */
export type Recipe = z.output<typeof recipeFields>;

/** A recipe field's name. */
export type RecipeKey = keyof Recipe;

/** The checks that span fields; `path` names the field at fault. */
function checkCombination(r: Recipe, ctx: z.core.$RefinementCtx<Recipe>): void {
  const issue = (path: RecipeKey, message: string): void => void ctx.addIssue({ code: 'custom', path: [path], message });
  if (r.warmupEpochs >= r.epochs) issue('warmupEpochs', `${r.warmupEpochs} must be less than epochs (${r.epochs})`);
  if (r.nesterov && r.momentum === 0) issue('nesterov', 'needs momentum > 0 (as in PyTorch)');
}

/** The schema of a {@link Recipe} given in part: missing fields take their defaults; unknown keys are refused. */
const recipeSchema = recipeFields.superRefine(checkCombination);

/** The schema of a stored {@link Recipe} (a checkpoint's state.json): every field must be there. */
export const storedRecipeSchema = recipeFields.required().superRefine(checkCombination);

/** The default recipe (a fresh object every call). */
export function defaultRecipe(): Recipe {
  return recipeSchema.parse({});
}

/**
 * Formats zod issues as `<name>: message; …`. `name` is a prefix for the
 * dotted path (`recipe` gives `recipe.lr`), or a function from the path to what
 * the user wrote (a flag such as `--lr`).
 */
export function describeIssues(error: z.ZodError, name: string | ((path: string[]) => string) = ''): string {
  const nameOf = typeof name === 'function' ? name : (p: string[]): string => [name, ...p].filter((s) => s !== '').join('.') || '(top level)';
  return error.issues
    .slice(0, 5)
    .map((i) => `${nameOf(i.path.map(String))}: ${i.message}`)
    .join('; ');
}

/**
 * Parses a recipe from untrusted data (missing fields take their defaults);
 * throws `<what>: recipe.<field>: <problem>` (no `<what>: ` when `what` is empty).
 */
export function checkRecipe(value: unknown, what: string, name: string | ((path: string[]) => string) = 'recipe'): Recipe {
  const r = recipeSchema.safeParse(value);
  if (!r.success) throw new Error(`${what ? `${what}: ` : ''}${describeIssues(r.error, name)}`);
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
