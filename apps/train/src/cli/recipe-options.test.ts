import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { runCli as cli } from '../testing/cli.js';
import { preset } from '../train/presets.js';
import { defaultRecipe, type Recipe, type RecipeKey } from '../train/recipe.js';
import { addRecipeOptions, recipeFromFlags } from './recipe-options.js';

// Each recipe flag and the field it sets, written out here (not taken from the code under test).
const FLAG_FIELDS: Array<[string, RecipeKey]> = [
  ['--epochs <n>', 'epochs'],
  ['--batch-size <n>', 'batchSize'],
  ['--lr <x>', 'lr'],
  ['--schedule <kind>', 'schedule'],
  ['--warmup-epochs <x>', 'warmupEpochs'],
  ['--momentum <x>', 'momentum'],
  ['--nesterov', 'nesterov'],
  ['--weight-decay <x>', 'weightDecay'],
  ['--augment', 'augment'],
  ['--train-size <n>', 'trainSize'],
  ['--test-size <n>', 'testSize'],
  ['--widths <list>', 'widths'],
  ['--max-steps <n>', 'maxSteps'],
];

const spell = (v: Recipe[RecipeKey]): string => (Array.isArray(v) ? v.join(',') : String(v));

/** `--help` output as one line per option: commander wraps long descriptions onto indented lines. */
async function helpLines(...command: string[]): Promise<Map<string, string>> {
  const r = await cli(...command, '--help');
  expect(r.code).toBe(0);
  const lines = r.out.replace(/\n {10,}(?!-)/g, ' ').split('\n').map((l) => l.trim());
  return new Map(lines.filter((l) => l.startsWith('-')).map((l) => [l.split(/\s{2,}/)[0]!.replace(/^-\w, /, ''), l]));
}

describe('recipe flags in --help', () => {
  it("train shows every recipe default, and each is the recipe schema's", async () => {
    const help = await helpLines('train');
    const d = defaultRecipe();
    expect(d).toMatchObject({ epochs: 10, batchSize: 128, lr: 0.1, momentum: 0.9, weightDecay: 1e-4, widths: [16, 32, 64] });
    for (const [flag, key] of FLAG_FIELDS) expect(help.get(flag), flag).toContain(`(default: ${spell(d[key])})`);
    expect(help.get('--milestones <epochs>')).toContain('(default: 50%,75% of --epochs with --schedule step)');
    for (const flag of ['--seed <n>', '--data <spec>', '--backend <name>']) expect(help.get(flag), flag).toMatch(/[(,] ?default: /);
    expect([...help.keys()].some((k) => k.startsWith('--recipe-json'))).toBe(false);
  });

  it("degradation shows the quick preset's defaults and he2015's where it differs", async () => {
    const help = await helpLines('degradation');
    const quick = preset('quick').recipe;
    const he = preset('he2015').recipe;
    for (const [flag, key] of FLAG_FIELDS) {
      const want = spell(quick[key]) === spell(he[key]) ? spell(quick[key]) : `${spell(quick[key])}; he2015: ${spell(he[key])}`;
      expect(help.get(flag), flag).toContain(`(default: ${want})`);
    }
    expect(help.get('--epochs <n>')).toContain('(default: 4; he2015: 164)');
    expect(help.get('--milestones <epochs>')).toContain('he2015: iterations 32000,48000');
    expect(help.get('--preset <name>')).toContain('default: "quick")');
  });

  it('eval, lesion, import and export-data show their size defaults', async () => {
    for (const command of ['eval', 'lesion', 'import', 'export-data']) {
      expect((await helpLines(command)).get('--test-size <n>'), command).toContain('(default: 0)');
    }
  });
});

describe('recipeFromFlags', () => {
  const parse = (argv: string[]): Command => {
    const c = addRecipeOptions(new Command('t').exitOverride(), preset('quick').recipe);
    return c.parse(argv, { from: 'user' });
  };

  it('takes only the flags given: a shown default does not override the base recipe', () => {
    const r = recipeFromFlags(preset('he2015').recipe, parse(['--lr', '0.2', '--no-augment']));
    expect(r).toEqual({ ...preset('he2015').recipe, lr: 0.2, augment: false });
  });

  it('lays --recipe-json over the base and the flags over both, checking the result once', () => {
    const r = recipeFromFlags(defaultRecipe(), parse(['--recipe-json', '{"epochs": 3, "lr": 0.5}', '--lr', '0.25']));
    expect(r).toMatchObject({ epochs: 3, lr: 0.25 });
    expect(() => recipeFromFlags(defaultRecipe(), parse(['--epochs', '2', '--warmup-epochs', '2']))).toThrow(/^--warmup-epochs: 2 must be less than epochs \(2\)$/);
    expect(() => recipeFromFlags(defaultRecipe(), parse(['--recipe-json', '{"epochs": 1, "warmupEpochs": 1}']))).toThrow(
      /^--recipe-json: recipe\.warmupEpochs: 1 must be less than epochs \(1\)$/,
    );
    expect(() => recipeFromFlags(defaultRecipe(), parse(['--recipe-json', '{"lr": 0.1, "learningRate": 1}']))).toThrow(/--recipe-json: recipe: Unrecognized key: "learningRate"/);
  });

  it('gives a step schedule without milestones the 50% and 75% epochs', () => {
    expect(recipeFromFlags(defaultRecipe(), parse(['--schedule', 'step', '--epochs', '8'])).milestoneEpochs).toEqual([4, 6]);
  });
});
