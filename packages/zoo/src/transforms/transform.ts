/**
 * The eval transform bound to a set of weights (torchvision's
 * `weights.transforms()`, timm's `resolve_data_config`): every number a user
 * needs to prepare an image exactly as the weights were evaluated.
 */
import { getPretrained, type PreprocessMode, type PretrainedEntry } from '../pretrained/table.js';
import type { Interpolation } from './resample.js';

/** An eval transform: resize the shorter side, center-crop, scale, normalise. */
export interface ImageTransform {
  /** Shorter side after resizing (torchvision `resize_size`); `null`: no resize. */
  resizeSize: number | null;
  /** Side of the square center crop (the model's input size); `null`: no crop. The crop ratio (timm `crop_pct`) is `cropSize / resizeSize`. */
  cropSize: number | null;
  /** Resampling filter (Pillow's, as torchvision applies it to PIL images). */
  interpolation: Interpolation;
  /** Stretch the filter over the source footprint when downscaling (torchvision/PIL: true). */
  antialias: boolean;
  /** Channel order the model expects (`'bgr'` for the Caffe-converted Keras ResNets). */
  channelOrder: 'rgb' | 'bgr';
  /** Range 0..255 pixel values are mapped to, linearly, before the mean is subtracted. */
  valueRange: [number, number];
  /** Per-channel mean, in the model's channel order and in `valueRange` units. */
  mean: [number, number, number];
  /** Per-channel standard deviation, same order and units. */
  std: [number, number, number];
}

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

/** Keras `imagenet_utils` caffe-mode means, BGR order, 0..255 units. */
export const CAFFE_BGR_MEAN: readonly [number, number, number] = [103.939, 116.779, 123.68];
const IMAGENET_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
const IMAGENET_STD: [number, number, number] = [0.229, 0.224, 0.225];
const MODES: readonly PreprocessMode[] = ['torch', 'caffe', 'tf'];
const OPTIONS = ['mode', 'resizeSize', 'cropSize', 'interpolation', 'antialias', 'channelOrder', 'valueRange', 'mean', 'std'];

/** Scaling and normalisation of a convention; `mean`/`std` override the torch defaults. */
function normalisation(mode: PreprocessMode, mean?: [number, number, number], std?: [number, number, number]): Pick<ImageTransform, 'channelOrder' | 'valueRange' | 'mean' | 'std'> {
  if (mode === 'caffe') return { channelOrder: 'bgr', valueRange: [0, 255], mean: [...CAFFE_BGR_MEAN], std: [1, 1, 1] };
  if (mode === 'tf') return { channelOrder: 'rgb', valueRange: [-1, 1], mean: [0, 0, 0], std: [1, 1, 1] };
  return { channelOrder: 'rgb', valueRange: [0, 1], mean: mean ?? IMAGENET_MEAN, std: std ?? IMAGENET_STD };
}

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
  const e = typeof tag === 'string' ? getPretrained(tag) : tag;
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

function isEntry(spec: object): spec is PretrainedEntry {
  return 'model' in spec && 'url' in spec;
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
  if (!MODES.includes(mode)) throw new Error(`preprocess: mode must be 'torch', 'caffe' or 'tf', got ${JSON.stringify(mode)}`);
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

function fail(field: string, got: unknown, valid: string): never {
  throw new Error(`preprocess: ${field} must be ${valid}, got ${JSON.stringify(got)}`);
}

/** Checks every field, naming the bad one and what is valid. */
export function validateTransform(t: ImageTransform): void {
  const size = (v: unknown) => v === null || (Number.isInteger(v) && (v as number) > 0);
  if (!size(t.resizeSize)) fail('resizeSize', t.resizeSize, 'a positive integer or null');
  if (!size(t.cropSize)) fail('cropSize', t.cropSize, 'a positive integer or null');
  if (t.interpolation !== 'bilinear' && t.interpolation !== 'bicubic') fail('interpolation', t.interpolation, "'bilinear' or 'bicubic'");
  if (typeof t.antialias !== 'boolean') fail('antialias', t.antialias, 'true or false');
  if (t.channelOrder !== 'rgb' && t.channelOrder !== 'bgr') fail('channelOrder', t.channelOrder, "'rgb' or 'bgr'");
  const triple = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every((x) => Number.isFinite(x));
  if (!(Array.isArray(t.valueRange) && t.valueRange.length === 2 && t.valueRange.every(Number.isFinite))) fail('valueRange', t.valueRange, '[min, max]');
  if (!triple(t.mean)) fail('mean', t.mean, 'three numbers');
  if (!triple(t.std) || t.std.some((s) => s === 0)) fail('std', t.std, 'three non-zero numbers');
}
