/**
 * The eval transform bound to a set of weights (torchvision's
 * `weights.transforms()`, timm's `resolve_data_config`): every number a user
 * needs to prepare an image exactly as the weights were evaluated.
 */
import { checkPositiveInt } from '@resnet/blocks';
import { configOf, resolvePretrained } from '../pretrained/config.js';
import type { PretrainedEntry } from '../pretrained/table.js';
import { PREPROCESS_MODES, normalisation, validateTransform, type ImageTransform, type PreprocessMode } from '../spec/transform.js';

/** {@link preprocess} options: any transform fields, over the defaults of `mode`. */
export interface PreprocessOptions extends Partial<ImageTransform> {
  /**
   * Normalisation convention the unset fields default to. `'torch'` (default):
   * RGB in [0, 1], ImageNet mean/std (torchvision). `'caffe'`: BGR in 0..255
   * minus the ImageNet BGR means (Keras ResNet50). `'tf'`: RGB in [-1, 1]
   * (Keras ResNet50V2, MobileNet).
   */
  mode?: PreprocessMode;
}

const OPTIONS = ['mode', 'resizeSize', 'cropSize', 'interpolation', 'antialias', 'channelOrder', 'valueRange', 'mean', 'std'];

/**
 * The eval transform of pretrained weights `tag` (or of an entry): what
 * `preprocess(image, tag)` and `loadClassifier(tag)` apply.
 *
 * @example
 * ```ts
 * getTransforms('resnet50.tv2_in1k');
 * // { resizeSize: 232, cropSize: 224, interpolation: 'bilinear', antialias: true,
 * //   channelOrder: 'rgb', valueRange: [0, 1], mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }
 * ```
 */
export function getTransforms(tag: string | PretrainedEntry): ImageTransform {
  return (typeof tag === 'string' ? resolvePretrained(tag) : configOf('(entry)', tag)).transform;
}

function isEntry(spec: object): spec is PretrainedEntry {
  return 'model' in spec && 'source' in spec;
}

/**
 * Turns what `preprocess` accepts (a tag, an entry, or options) into a
 * complete, validated transform. Options default to torchvision's ImageNet
 * eval transform: resize 256, crop 224, bilinear with antialias, ImageNet mean/std.
 */
export function resolveTransform(spec: string | PretrainedEntry | PreprocessOptions = {}): ImageTransform {
  if (typeof spec === 'string' || isEntry(spec)) return getTransforms(spec);
  const unknown = Object.keys(spec).filter((k) => !OPTIONS.includes(k));
  if (unknown.length) {
    const hint = unknown.includes('size') ? " ('size' is now 'cropSize')" : '';
    throw new Error(`preprocess: unknown option(s) ${unknown.join(', ')}${hint}; valid: ${OPTIONS.join(', ')}, or a pretrained tag`);
  }
  const { mode = 'torch', mean, std, ...rest } = spec;
  if (!PREPROCESS_MODES.includes(mode)) throw new Error(`preprocess: mode must be 'torch', 'caffe' or 'tf', got ${JSON.stringify(mode)}`);
  // The sizes the caller gave are checked before anything is derived from them, so an error names the option given.
  if (rest.cropSize != null) checkPositiveInt(rest.cropSize, 'preprocess: cropSize');
  if (rest.resizeSize != null) checkPositiveInt(rest.resizeSize, 'preprocess: resizeSize');
  const cropSize = rest.cropSize === undefined ? 224 : rest.cropSize;
  const t: ImageTransform = {
    resizeSize: rest.resizeSize === undefined ? (cropSize === null ? null : Math.round(cropSize / 0.875)) : rest.resizeSize,
    cropSize,
    interpolation: rest.interpolation ?? 'bilinear',
    antialias: rest.antialias ?? true,
    ...normalisation(mode),
    ...(rest.channelOrder ? { channelOrder: rest.channelOrder } : {}),
    ...(rest.valueRange ? { valueRange: rest.valueRange } : {}),
    ...(mean ? { mean } : {}),
    ...(std ? { std } : {}),
  };
  validateTransform(t);
  return t;
}
