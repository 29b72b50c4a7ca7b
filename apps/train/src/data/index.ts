/** Resolves a `--data` value to a dataset. */
import { loadCifar10 } from './cifar10.js';
import { type Dataset, type LoadLimits } from './dataset.js';
import { loadMnist } from './mnist.js';
import { loadSynthetic } from './synthetic.js';

export type { Dataset, Split, LoadLimits } from './dataset.js';

/** Valid forms of `--data`, for error messages. */
export const DATA_FORMS = 'mnist | cifar10:DIR | synthetic | synthetic:SIZE (image side, e.g. synthetic:8)';

/** Checks the form of a `--data` value without loading anything. */
export function checkDataSpec(spec: string): void {
  if (spec === 'mnist' || spec === 'synthetic') return;
  if (spec.startsWith('cifar10:') && spec.length > 'cifar10:'.length) return;
  if (/^synthetic:\d+$/.test(spec) && Number(spec.slice(10)) >= 4) return;
  throw new Error(`invalid --data '${spec}'; valid: ${DATA_FORMS}`);
}

/** Loads the dataset named by a `--data` value. */
export function loadData(spec: string, limits: LoadLimits = {}): Dataset {
  checkDataSpec(spec);
  if (spec === 'mnist') return loadMnist(limits);
  if (spec.startsWith('cifar10:')) return loadCifar10(spec.slice('cifar10:'.length), limits);
  const size = spec === 'synthetic' ? 32 : Number(spec.slice('synthetic:'.length));
  const ds = loadSynthetic({ size, trainSize: limits.trainSize, testSize: limits.testSize });
  return { ...ds, name: spec };
}
