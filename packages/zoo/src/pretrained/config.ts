/**
 * A pretrained tag parsed once into everything the rest of the zoo needs (as
 * timm's `PretrainedCfg`): the model and its options, the file to fetch, the
 * eval transform and the labels. `createModel`, `loadClassifier`,
 * `downloadPretrained` and `getTransforms` take this object down the call
 * chain instead of looking the tag up again.
 */
import type { BlockVariant } from '@resnet/blocks';
import { IMAGENET_CLASSES } from '../imagenet/labels.js';
import { normalisation, validateTransform, type ImageTransform } from '../spec/transform.js';
import { defaultPretrained, getPretrained, listPretrained, type PretrainedEntry } from './table.js';

/** Pretrained weights resolved from a tag (see {@link resolvePretrained}). */
export interface PretrainedConfig {
  /** The tag, e.g. `'resnet50.tv2_in1k'`. */
  readonly tag: string;
  /** The registry model the weights belong to. */
  readonly model: string;
  /** Options the model must be built with to take the weights: its class count, and the block variant where the weights need one. */
  readonly modelOptions: Readonly<{ numClasses: number; variant?: BlockVariant }>;
  /** The table entry (URL, hashes, format, license, top-1). */
  readonly entry: PretrainedEntry;
  /** The eval transform the weights were evaluated with. */
  readonly transform: ImageTransform;
  /** One class name per output: the entry's, else ImageNet's for 1000 classes, else the class indices (`registerPretrained` checks the count). */
  readonly labels: readonly string[];
}

/** The eval transform an entry records. */
function entryTransform(e: PretrainedEntry): ImageTransform {
  const t: ImageTransform = {
    resizeSize: e.resizeSize,
    cropSize: e.inputSize,
    interpolation: e.interpolation ?? 'bilinear',
    antialias: e.antialias ?? true,
    ...normalisation(e.preprocess, e.mean, e.std),
  };
  validateTransform(t);
  return t;
}

/** The labels an entry records: its own, else ImageNet's for 1000 classes, else the class indices. */
function entryLabels(e: PretrainedEntry): readonly string[] {
  return e.labels ?? (e.numClasses === 1000 ? IMAGENET_CLASSES : Array.from({ length: e.numClasses }, (_, i) => String(i)));
}

/** The resolved config of `entry` under `tag` (for entries not in the table, e.g. passed to `getTransforms`). */
export function configOf(tag: string, entry: PretrainedEntry): PretrainedConfig {
  const variant = entry.modelOptions?.variant;
  return {
    tag,
    model: entry.model,
    modelOptions: { numClasses: entry.numClasses, ...(variant ? { variant } : {}) },
    entry,
    transform: entryTransform(entry),
    labels: entryLabels(entry),
  };
}

/**
 * Parses a pretrained tag (`'resnet50.tv2_in1k'`), or a model name for its
 * default weights (`'resnet50'` → `'resnet50.tv2_in1k'`, see
 * `defaultPretrained`), into its {@link PretrainedConfig}. Unknown tags fail
 * listing the tags of that model (or every tag).
 *
 * @example
 * ```ts
 * const cfg = resolvePretrained('resnet50');
 * cfg.tag;                  // 'resnet50.tv2_in1k'
 * cfg.transform.resizeSize; // 232
 * cfg.labels[0];            // 'tench'
 * ```
 */
export function resolvePretrained(tagOrModel: string): PretrainedConfig {
  if (typeof tagOrModel !== 'string') throw new Error(`pretrained weights: expected a tag such as 'resnet50.tv2_in1k', got ${Object.prototype.toString.call(tagOrModel)}`);
  if (!tagOrModel.includes('.')) {
    const tag = defaultPretrained(tagOrModel);
    if (!tag) {
      throw new Error(`no pretrained weights for '${tagOrModel}'; models with weights: ${[...new Set(listPretrained().map((t) => getPretrained(t).model))].join(', ')}`);
    }
    return configOf(tag, getPretrained(tag));
  }
  return configOf(tagOrModel, getPretrained(tagOrModel));
}
