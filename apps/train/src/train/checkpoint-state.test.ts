import { describe, expect, it } from 'vitest';
import { tinyState } from '../testing/checkpoint-fixture.js';
import { type CheckpointState, checkStateAgainstData, parseState } from './checkpoint-state.js';
import { checkRecipe, fitsFloat32 } from './recipe.js';

const FILES = { bytes: 1, sha256: 'a'.repeat(64) };
const files = { 'model.json': FILES, 'weights.bin': FILES, 'optimizer.json': FILES, 'optimizer.bin': FILES };
const text = (s: object): string => JSON.stringify(s);
const partial = (order: number[], batch = 1): CheckpointState['partial'] => ({ batch, order, lossSum: 1, wrong: 3, seen: 16, seconds: 1 });

describe('state.json validation', () => {
  it('accepts what saveCheckpoint writes (NaN metrics come back from JSON null)', () => {
    const s = parseState(text({ ...tinyState(2, { files }), metrics: [1, 2].map((epoch) => ({ epoch, trainLoss: 1, trainError: 0.5, testError: null, seconds: 1 })) }), 'state.json');
    expect(s.epoch).toBe(2);
    expect(s.metrics[1]!.testError).toBeNaN();
  });

  const bad: Array<[string, object, RegExp]> = [
    ['a model name that is a path', { model: { name: '../../x', options: {} } }, /model\.name: unknown model '\.\.\/\.\.\/x'; known: densenet121, /],
    ['an epoch beyond the recipe', { epoch: 9, step: 27, metrics: [] }, /epoch: 9 is beyond the recipe's 4 epochs/],
    ['a negative step', { step: -1 }, /step: Too small/],
    ['metrics that do not match the epochs', { metrics: [] }, /metrics: 0 entries for 2 completed epochs/],
    ['an RNG word outside uint32', { rng: [1, 2, 3, 2 ** 32] }, /rng\.3: Too big/],
    ['an order index out of range', { partial: partial([0, 1, 48]) }, /partial\.order\.2: 48: the order must be a permutation of 0…2/],
    ['a repeated order index', { partial: partial([0, 1, 1, 2]) }, /partial\.order\.2: 1: the order must be a permutation/],
    ['more errors than images', { partial: { ...partial([0, 1]), wrong: 17 } }, /partial\.wrong: 17 errors among 16 images/],
    ['an lr float32 cannot hold', { recipe: { ...tinyState(0).recipe, lr: 1e39 } }, /recipe\.lr: must be a number within float32/],
    ['an unknown --data', { data: '/etc' }, /data: invalid --data '\/etc'/],
    ['an unknown field', { extra: 1 }, /Unrecognized key: "extra"/],
    ['version 2 without checksums', { files: undefined }, /files: version 2 needs the file checksums/],
    ['a checksum that is not hex', { files: { ...files, 'weights.bin': { bytes: 1, sha256: 'zz' } } }, /files\.weights\.bin\.sha256: must be 64 hex digits/],
  ];
  for (const [what, change, message] of bad) {
    it(`refuses ${what}, naming the file and field`, () => {
      expect(() => parseState(text({ ...tinyState(2, { files }), ...change }), 'run/checkpoint/state.json')).toThrow(
        new RegExp(`^run/checkpoint/state\\.json: .*${message.source}`),
      );
    });
  }

  it('refuses an empty file and text that is not JSON', () => {
    expect(() => parseState('', 'a/state.json')).toThrow('a/state.json: empty file (0 bytes)');
    expect(() => parseState('{"epoch"', 'a/state.json')).toThrow(/^a\/state\.json: not valid JSON \(/);
    expect(() => parseState('[1]', 'a/state.json')).toThrow(/^a\/state\.json: \(top level\): Invalid input: expected object/);
  });
});

describe('checkStateAgainstData', () => {
  it('accepts a state that matches the split', () => {
    expect(() => checkStateAgainstData(tinyState(2), 's', 48)).not.toThrow();
    const order = Array.from({ length: 48 }, (_, i) => 47 - i);
    expect(() => checkStateAgainstData(tinyState(1, { step: 5, partial: partial(order, 2) }), 's', 48)).not.toThrow();
  });
  it('refuses an order for another split, a batch past the epoch, and a step count that does not add up', () => {
    expect(() => checkStateAgainstData(tinyState(1, { step: 4, partial: partial([0, 1, 2]) }), 's', 48)).toThrow('s: partial.order has 3 entries, but the training split has 48 images');
    const order = Array.from({ length: 48 }, (_, i) => i);
    expect(() => checkStateAgainstData(tinyState(1, { step: 6, partial: partial(order, 3) }), 's', 48)).toThrow('s: partial.batch 3 is not inside an epoch of 3 batches');
    expect(() => checkStateAgainstData(tinyState(2, { step: 7 }), 's', 48)).toThrow('s: step 7 does not match 2 epochs of 3 batches + 0');
  });
});

describe('recipe limits', () => {
  it('fitsFloat32: finite and non-zero after rounding to float32', () => {
    expect([1e39, 3.5e38, 1e-46, Infinity, NaN].map(fitsFloat32)).toEqual([false, false, false, false, false]);
    expect([0, 1e-45, 0.1, 3.4e38, -3.4e38].map(fitsFloat32)).toEqual([true, true, true, true, true]);
  });
  it('checkRecipe names the source and field', () => {
    expect(() => checkRecipe({ ...tinyState(0).recipe, weightDecay: 1e40 }, '--recipe-json')).toThrow(/^--recipe-json: recipe\.weightDecay: must be a number within float32/);
    expect(() => checkRecipe({ ...tinyState(0).recipe, warmupEpochs: 4 }, 'x')).toThrow('x: recipe.warmupEpochs: 4 must be less than epochs (4)');
  });
});
