/**
 * The model registry: name → builder, plus the family each belongs to. Users can
 * register their own builders under new names.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import * as e from './entrypoints.js';
import { zooDensenet121, zooDensenet161, zooDensenet169, zooDensenet201, zooDensenetBC100 } from './densenet.js';
import type { ModelOptions } from './options.js';

/** A function that builds a model from options. */
export type ModelBuilder = (opts?: ModelOptions) => LayersModel;

/** Which dataset a model's defaults (input size, classes) follow. */
export type ModelFamily = 'imagenet' | 'cifar' | 'densenet' | 'custom';

interface Entry {
  builder: ModelBuilder;
  family: ModelFamily;
}

const registry = new Map<string, Entry>();

/** Adds (or, with `overwrite`, replaces) a model under `name`. */
export function registerModel(name: string, builder: ModelBuilder, family: ModelFamily = 'custom', overwrite = false): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new Error(`registerModel: name must match [A-Za-z0-9_.-]+, got ${JSON.stringify(name)}`);
  }
  if (registry.has(name) && !overwrite) {
    throw new Error(`registerModel: '${name}' is already registered; pass overwrite = true to replace it`);
  }
  registry.set(name, { builder, family });
}

for (const n of ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'wide_resnet50_2', 'resnext50_32x4d'] as const) {
  registerModel(n, e[n], 'imagenet');
}
for (const n of ['resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet110', 'resnet1202', 'plain20', 'plain32', 'plain44', 'plain56', 'plain110'] as const) {
  registerModel(n, e[n], 'cifar');
}

registerModel('densenet121', zooDensenet121, 'densenet');
registerModel('densenet161', zooDensenet161, 'densenet');
registerModel('densenet169', zooDensenet169, 'densenet');
registerModel('densenet201', zooDensenet201, 'densenet');
registerModel('densenetBC100', zooDensenetBC100, 'densenet');

/** Names of every registered model, optionally of one family, sorted. */
export function listModels(family?: ModelFamily): string[] {
  return [...registry.entries()].filter(([, v]) => !family || v.family === family).map(([k]) => k).sort();
}

/** The family of a registered model (throws for unknown names). */
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

/** Builds a registered model without weights (`createModel` adds the pretrained path). */
export function buildModel(name: string, opts: ModelOptions = {}): LayersModel {
  const entry = lookup(name);
  if (opts.weights !== undefined) {
    throw new Error(`buildModel('${name}'): use createModel('${name}', { weights: '${opts.weights}' }) to load pretrained weights`);
  }
  return entry.builder(opts);
}
