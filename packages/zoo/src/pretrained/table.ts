/**
 * Published pretrained weights, kept apart from model code (timm style). The
 * torchvision weights are fetched as the safetensors copies timm hosts on the
 * Hugging Face Hub (the same tensors as torchvision's `.pth` pickles, which this
 * package does not parse). Hashes: where a full SHA-256 of the exact file is not
 * known to us it is `null` — we did not invent one — and the download checks
 * the SHA-256 the Hub announces for the file instead; torchvision's own `.pth` file names carry the first 8
 * hex digits of their SHA-256 (`source.origin`), and Keras publishes MD5s.
 */

import { IMAGENET_CLASSES } from '../imagenet/labels.js';
import { IMAGENET_MEAN, IMAGENET_STD, type Interpolation, type PreprocessMode } from '../spec/transform.js';
import type { SingleFileFormat, WeightVariant } from '../spec/weights.js';

/**
 * Where a pretrained entry's file is and how to check it: everything that
 * changes when the same weights come from elsewhere (your own copy, a mirror),
 * kept apart from the transform and labels so that overriding it is one field.
 */
export interface PretrainedSource {
  /**
   * The file: an `https:` URL (downloaded once, cached), in Node also a path or
   * a `file:` URL (read in place, never cached), in browsers also a URL
   * relative to the page.
   */
  url: string;
  /** Loader convention of the file (`loadWeights`' `from`). */
  format: SingleFileFormat;
  /** SHA-256 of the file; null or absent where it is not known (a Hub download is then checked against the SHA-256 the Hub announces). */
  sha256?: string | null;
  /** MD5 of the file where the publisher gives one (Keras). */
  md5?: string;
  /**
   * Hub commit the file is pinned to (replaces the revision in `url`), or null
   * where we know none: then `url` follows the branch `main` and the bytes are
   * checked against the SHA-256 the Hub announces. No commit is stated for the
   * built-in entries: we could not look one up, and we do not invent them.
   */
  revision?: string | null;
  /** The original publisher's file, when `url` is a re-hosted copy, and the leading SHA-256 hex digits it is known by (torchvision puts 8 in the file name). */
  origin?: { url: string; sha256Prefix: string };
  /**
   * Smaller copies of the same weights (`url` is the fp32 file): fp16 and q8
   * safetensors made with `resnet-train convert`, chosen with `dtype` in
   * `loadClassifier` / `createModel` / `downloadPretrained`.
   */
  variants?: { fp16?: WeightVariant; q8?: WeightVariant };
}

/** One pretrained weight set: the model it fits, its file, the eval transform and the labels. */
export interface PretrainedEntry {
  /** Registry model name it belongs to. */
  model: string;
  /** Model options the weights need (e.g. Keras weights need `variant: 'v1'`). */
  modelOptions?: { variant?: 'v1' | 'v1.5' | 'v2' };
  /** The file and its hashes. */
  source: PretrainedSource;
  /** Per-channel RGB mean in [0, 1] units (caffe mode: BGR means in 0..255 are fixed by the mode). */
  mean: [number, number, number];
  /** Per-channel RGB std in [0, 1] units. */
  std: [number, number, number];
  /** Preprocessing mode for {@link preprocess}. */
  preprocess: PreprocessMode;
  /** Evaluation input size (square). */
  inputSize: number;
  /** Resize of the shorter side before the center crop at evaluation. */
  resizeSize: number;
  /** Resampling filter of that resize. Default `'bilinear'` (torchvision); timm recipes often use `'bicubic'`. */
  interpolation?: Interpolation;
  /** Whether that resize antialiases (torchvision's PIL path does). Default true. */
  antialias?: boolean;
  /** Class names, one per output. Default: the ImageNet-1k names when `numClasses` is 1000. */
  labels?: readonly string[];
  /** Output classes. */
  numClasses: number;
  /** License of the weights as stated by the publisher (the built-in entries all state one). */
  license?: string;
  /** Reported ImageNet-1k top-1 accuracy (%) at `inputSize`, from the publisher (the built-in entries all state one). */
  top1?: number;
}

const TV_LICENSE = 'BSD-3-Clause (torchvision); trained on ImageNet-1k, whose terms restrict use to non-commercial research';

function tv(model: string, tag: 'tv_in1k' | 'tv2_in1k', pth: string, top1: number): [string, PretrainedEntry] {
  const name = `${model}.${tag}`;
  return [
    name,
    {
      model,
      source: {
        url: `https://huggingface.co/timm/${name}/resolve/main/model.safetensors`,
        revision: null,
        format: 'timm',
        sha256: null,
        origin: { url: `https://download.pytorch.org/models/${pth}`, sha256Prefix: /-([0-9a-f]{8})\.pth$/.exec(pth)![1]! },
      },
      mean: [...IMAGENET_MEAN],
      std: [...IMAGENET_STD],
      preprocess: 'torch',
      inputSize: 224,
      // torchvision's V2 recipe evaluates with resize 232 (ResNet-50) / 232 (101, 152), crop 224.
      resizeSize: tag === 'tv2_in1k' ? 232 : 256,
      interpolation: 'bilinear',
      antialias: true,
      numClasses: 1000,
      labels: IMAGENET_CLASSES,
      license: TV_LICENSE,
      top1,
    },
  ];
}

function keras(model: string, md5: string, top1: number): [string, PretrainedEntry] {
  return [
    `${model}.keras_in1k`,
    {
      model,
      modelOptions: { variant: 'v1' },
      source: {
        url: `https://storage.googleapis.com/tensorflow/keras-applications/resnet/${model}_weights_tf_dim_ordering_tf_kernels.h5`,
        format: 'keras',
        sha256: null,
        md5,
      },
      mean: [0, 0, 0],
      std: [1, 1, 1],
      preprocess: 'caffe',
      inputSize: 224,
      resizeSize: 256,
      interpolation: 'bilinear',
      antialias: true,
      numClasses: 1000,
      labels: IMAGENET_CLASSES,
      license: "MIT (Keras applications; ported from Kaiming He's original Caffe models)",
      top1,
    },
  ];
}

/**
 * Pretrained weights by tag (`<model>.<source>`). Top-1 figures: torchvision
 * 0.14 model documentation (`IMAGENET1K_V1` / `_V2`) and the Keras applications
 * table. Keras MD5s: `WEIGHTS_HASHES` in keras/applications/resnet.py.
 */
export const PRETRAINED: Readonly<Record<string, PretrainedEntry>> = Object.fromEntries([
  tv('resnet18', 'tv_in1k', 'resnet18-f37072fd.pth', 69.758),
  tv('resnet34', 'tv_in1k', 'resnet34-b627a593.pth', 73.314),
  tv('resnet50', 'tv_in1k', 'resnet50-0676ba61.pth', 76.13),
  tv('resnet50', 'tv2_in1k', 'resnet50-11ad3fa6.pth', 80.858),
  tv('resnet101', 'tv_in1k', 'resnet101-63fe2227.pth', 77.374),
  tv('resnet101', 'tv2_in1k', 'resnet101-cd907fc2.pth', 81.886),
  tv('resnet152', 'tv_in1k', 'resnet152-394f9c45.pth', 78.312),
  tv('resnet152', 'tv2_in1k', 'resnet152-f82ba261.pth', 82.284),
  tv('wide_resnet50_2', 'tv_in1k', 'wide_resnet50_2-95faca4d.pth', 78.468),
  tv('resnext50_32x4d', 'tv_in1k', 'resnext50_32x4d-7cdf4587.pth', 77.618),
  tv('densenet121', 'tv_in1k', 'densenet121-a639ec97.pth', 74.434),
  tv('densenet161', 'tv_in1k', 'densenet161-8d451a50.pth', 77.138),
  tv('densenet169', 'tv_in1k', 'densenet169-b2777c0a.pth', 75.6),
  tv('densenet201', 'tv_in1k', 'densenet201-c1103571.pth', 76.896),
  keras('resnet50', '2cb95161c43110f7111970584f804107', 74.9),
  keras('resnet101', 'f1aeb4b969a6efcfb50fad2f0c20cfc5', 76.4),
  keras('resnet152', '100835be76be38e30d865e96f2aaae62', 76.6),
]);

const custom = new Map<string, PretrainedEntry>();

// torchvision's `weights='DEFAULT'`: IMAGENET1K_V2 where published, else V1; never the
// Keras weights (they need `variant: 'v1'`, not the model's default layout).
const DEFAULT_TAGS = new Map<string, string>();
for (const [tag, e] of Object.entries(PRETRAINED)) {
  if (e.source.format !== 'keras' && (!DEFAULT_TAGS.has(e.model) || tag.endsWith('.tv2_in1k'))) DEFAULT_TAGS.set(e.model, tag);
}

/**
 * The weights a model gets when only its name is given (timm's default
 * `pretrained_cfg`, torchvision's `weights='DEFAULT'`): for the built-in
 * models torchvision's best ImageNet weights (`.tv2_in1k` where published,
 * else `.tv_in1k`); for a model with only registered weights, the first
 * registered. Undefined for a model without weights.
 *
 * @example
 * ```ts
 * defaultPretrained('resnet50'); // 'resnet50.tv2_in1k'
 * defaultPretrained('resnet18'); // 'resnet18.tv_in1k'
 * defaultPretrained('resnet20'); // undefined
 * ```
 */
export function defaultPretrained(model: string): string | undefined {
  return DEFAULT_TAGS.get(model) ?? [...custom.entries()].find(([, e]) => e.model === model)?.[0];
}

/** Adds an entry that `registerPretrained` (models/pretrained.ts) has checked. */
export function addPretrained(tag: string, entry: PretrainedEntry): void {
  custom.set(tag, entry);
}

/** True when `tag` names an entry, built-in or registered. */
export function hasPretrained(tag: string): boolean {
  return Object.hasOwn(PRETRAINED, tag) || custom.has(tag);
}

/**
 * The entry for `tag`; the error lists the known tags.
 *
 * @example
 * ```ts
 * const entry = getPretrained('resnet50.tv2_in1k');
 * entry.top1;       // 80.858, torchvision's reported ImageNet top-1
 * entry.resizeSize; // 232
 * ```
 */
export function getPretrained(tag: string): PretrainedEntry {
  const e = (Object.hasOwn(PRETRAINED, tag) ? PRETRAINED[tag] : undefined) ?? custom.get(tag);
  if (!e) {
    const model = tag.slice(0, tag.indexOf('.'));
    const fit = model ? listPretrained(model) : [];
    throw new Error(`unknown pretrained weights '${tag}'; ${fit.length ? `weights for ${model}: ${fit.join(', ')}` : `known: ${listPretrained().join(', ')}`}`);
  }
  return e;
}

/**
 * Every pretrained tag, optionally only those for one model.
 *
 * @example
 * ```ts
 * listPretrained('resnet50'); // ['resnet50.keras_in1k', 'resnet50.tv2_in1k', 'resnet50.tv_in1k']
 * ```
 */
export function listPretrained(model?: string): string[] {
  const all = [...Object.entries(PRETRAINED), ...custom.entries()];
  return all.filter(([, e]) => !model || e.model === model).map(([k]) => k).sort();
}
