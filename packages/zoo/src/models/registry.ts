/**
 * The model registry: name → builder, plus the family each belongs to. The
 * zoo's own models come from `entrypoints.ts`, where each is registered once;
 * users can register their own builders under new names.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import * as entrypoints from './entrypoints.js';
import type { ModelOptions } from './options.js';

/** A function that builds a model from options. */
export type ModelBuilder = (opts?: ModelOptions) => LayersModel;

/** Which dataset a model's defaults (input size, classes) follow. */
export type ModelFamily = 'imagenet' | 'cifar' | 'densenet' | 'custom';

/** One of the zoo's models (`resnet50`, `resnet20`, …): a builder that carries its registry name and family. */
export type ZooModel = ModelBuilder & {
  /** Its name in the registry (`createModel(modelName)`). */
  readonly modelName: string;
  /** Its family (`modelFamily(modelName)`). */
  readonly family: ModelFamily;
};

interface Entry {
  builder: ModelBuilder;
  family: ModelFamily;
}

const registry = new Map<string, Entry>();

/**
 * Adds (or, with `overwrite`, replaces) a model under `name`.
 *
 * @example
 * ```ts
 * registerModel('resnet10', (opts) => buildResNet({ block: 'basic', layers: [1, 1, 1, 1] }, opts, 'resnet10'), 'imagenet');
 * const model = createModel('resnet10', { numClasses: 10 });
 * ```
 */
export function registerModel(name: string, builder: ModelBuilder, family: ModelFamily = 'custom', overwrite = false): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new Error(`registerModel: name must match [A-Za-z0-9_.-]+, got ${JSON.stringify(name)}`);
  }
  if (registry.has(name) && !overwrite) {
    throw new Error(`registerModel: '${name}' is already registered; pass overwrite = true to replace it`);
  }
  registry.set(name, { builder, family });
}

for (const model of Object.values(entrypoints)) registerModel(model.modelName, model, model.family);

/**
 * Names of every registered model, optionally of one family, sorted.
 *
 * @example
 * ```ts
 * listModels();          // every name: 'densenet121', …, 'resnet18', …, 'wide_resnet50_2'
 * listModels('cifar');   // 'plain110', 'plain20', …, 'resnet110', 'resnet1202', …, 'resnet8' (sorted by name)
 * ```
 */
export function listModels(family?: ModelFamily): string[] {
  return [...registry.entries()].filter(([, v]) => !family || v.family === family).map(([k]) => k).sort();
}

/**
 * The family of a registered model (throws for unknown names).
 *
 * @example
 * ```ts
 * modelFamily('resnet56'); // 'cifar'
 * modelFamily('resnet50'); // 'imagenet'
 * ```
 */
export function modelFamily(name: string): ModelFamily {
  return lookup(name).family;
}

function lookup(name: string): Entry {
  const entry = registry.get(name);
  if (!entry) {
    throw new Error(`unknown model '${String(name)}'; known: ${listModels().join(', ')}`);
  }
  return entry;
}

/**
 * Builds a registered model without weights (`createModel` adds the pretrained path).
 *
 * @example
 * ```ts
 * const model = buildModel('resnet18', { numClasses: 10 }); // never weights: createModel loads those
 * ```
 */
export function buildModel(name: string, opts: ModelOptions = {}): LayersModel {
  const entry = lookup(name);
  const weights = (opts as { weights?: unknown }).weights;
  if (weights !== undefined) {
    throw new Error(`buildModel('${name}'): use createModel('${name}', { weights: '${String(weights)}' }) to load pretrained weights`);
  }
  return entry.builder(opts);
}
