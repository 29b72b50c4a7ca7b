/**
 * The recipe flags of `train` and `degradation`, built from the recipe schema
 * (train/recipe.ts): each flag's help text and its shown default come from the
 * schema's field, so `--help` cannot drift from what a run uses.
 * `recipeFromFlags` lays the flags the user gave over a base recipe and checks
 * the result against the schema once.
 */
import { type Command, Option } from 'commander';
import { checkRecipe, parseJsonObject, type Recipe, type RecipeKey, recipeFields } from '../train/recipe.js';
import { SCHEDULES } from '../train/schedule.js';
import { testSizeOption, trainSizeOption } from './options.js';
import * as p from './parse.js';

/** How each recipe field is written on the command line (`milestones`, in iterations, has no flag). */
const FLAGS: Array<[RecipeKey, () => Option]> = [
  ['epochs', () => new Option('--epochs <n>').argParser(p.positiveInt)],
  ['batchSize', () => new Option('--batch-size <n>').argParser(p.positiveInt)],
  ['lr', () => new Option('--lr <x>').argParser(p.positiveNumber)],
  ['schedule', () => new Option('--schedule <kind>').argParser(p.oneOf(SCHEDULES))],
  ['milestoneEpochs', () => new Option('--milestones <epochs>').argParser(p.intList)],
  ['warmupEpochs', () => new Option('--warmup-epochs <x>').argParser(p.nonNegativeNumber)],
  ['momentum', () => new Option('--momentum <x>').argParser(p.momentum)],
  ['nesterov', () => new Option('--nesterov')],
  ['weightDecay', () => new Option('--weight-decay <x>').argParser(p.nonNegativeNumber)],
  ['augment', () => new Option('--augment')],
  ['trainSize', trainSizeOption],
  ['testSize', testSizeOption],
  ['widths', () => new Option('--widths <list>').argParser(p.intList)],
  ['maxSteps', () => new Option('--max-steps <n>').argParser(p.nonNegativeInt)],
];

/** The flag of each recipe field, e.g. `warmupEpochs` → `--warmup-epochs`. */
const FLAG_OF = new Map(FLAGS.map(([key, make]) => [key as string, make().long!]));

/** A recipe value as a flag would spell it (`16,32,64`). */
function spell(v: Recipe[RecipeKey]): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** The shown default of `key`: the base recipe's value, and an alternative preset's where it differs. */
function defaultText(key: RecipeKey, base: Recipe, alt?: { name: string; recipe: Recipe }): string {
  const one = (r: Recipe): string => {
    if (key !== 'milestoneEpochs' || r.milestoneEpochs.length > 0) return spell(r[key]);
    if (r.milestones.length > 0) return `iterations ${spell(r.milestones)}`;
    return r.schedule === 'step' ? '50%,75% of --epochs' : '50%,75% of --epochs with --schedule step';
  };
  const mine = one(base);
  const theirs = alt ? one(alt.recipe) : mine;
  return theirs === mine ? mine : `${mine}; ${alt!.name}: ${theirs}`;
}

/**
 * Adds the recipe flags to `c`, each with the schema's description and, as its
 * shown default, `base`'s value (and `alt`'s where a preset changes it).
 */
export function addRecipeOptions(c: Command, base: Recipe, alt?: { name: string; recipe: Recipe }): Command {
  for (const [key, make] of FLAGS) {
    const o = make();
    o.description = recipeFields.shape[key].description ?? key;
    c.addOption(o.default(base[key], defaultText(key, base, alt)));
    if (key === 'augment') c.addOption(new Option('--no-augment', 'no augmentation'));
  }
  return c.addOption(new Option('--recipe-json <json>', 'the whole recipe as JSON (used by degradation for its child runs)').hideHelp());
}

/**
 * Lays what the user gave over `base`: first `--recipe-json`, then each flag
 * given on the command line (a default shown in the help is not "given").
 * Without milestones, a step schedule divides the rate at 50% and 75% of the
 * epochs. Errors name the flag (or `--recipe-json: recipe.<field>`).
 */
export function recipeFromFlags(base: Recipe, c: Command): Recipe {
  const o = c.opts();
  const given: Partial<Record<RecipeKey, unknown>> = {};
  for (const [key, make] of FLAGS) {
    const attr = make().attributeName();
    if (c.getOptionValueSource(attr) === 'cli') given[key] = o[attr];
  }
  const json = o.recipeJson as string | undefined;
  return resolveRecipe(json ? { ...base, ...parseJsonObject(json, '--recipe-json') } : base, given, json ? '--recipe-json' : undefined);
}

/** {@link recipeFromFlags} on plain values: `given` holds the flags' values by recipe field. */
export function resolveRecipe(base: Record<string, unknown>, given: Partial<Record<RecipeKey, unknown>>, json?: string): Recipe {
  const r: Record<string, unknown> = { ...base, ...given };
  if (given.milestoneEpochs !== undefined) {
    if (r.schedule !== 'step') throw new Error(`--milestones only applies to --schedule step (got --schedule ${String(r.schedule)})`);
    const ms = given.milestoneEpochs as number[];
    const epochs = r.epochs as number;
    if (ms.some((m, i) => i > 0 && m <= ms[i - 1]!) || ms.some((m) => m >= epochs)) {
      throw new Error(`--milestones must be increasing epochs below --epochs ${epochs} (got ${ms.join(',')})`);
    }
  } else if (r.schedule === 'step' && !(r.milestones as number[] | undefined)?.length && !(r.milestoneEpochs as number[] | undefined)?.length) {
    const epochs = r.epochs as number;
    r.milestoneEpochs = [Math.round(epochs * 0.5), Math.round(epochs * 0.75)];
  }
  const name = (path: string[]): string => (path[0]! in given && FLAG_OF.has(path[0]!) ? FLAG_OF.get(path[0]!)! : ['recipe', ...path].join('.'));
  return checkRecipe(r, json ?? '', name);
}
