/**
 * The vocabulary of an eval transform, shared by the pretrained table (which
 * records each weights' transform) and `transforms/` (which applies one):
 * resampling filters, normalisation conventions and their constants, and the
 * `ImageTransform` itself. A leaf: it imports nothing of the zoo.
 */
import { checkPositiveInt } from '@resnet/blocks';

/** Resampling filter, as `PIL.Image.Resampling` / torchvision `InterpolationMode`. */
export type Interpolation = 'bilinear' | 'bicubic';

/** Mean/std preprocessing convention the weights were trained with (Keras `imagenet_utils` modes). */
export type PreprocessMode = 'torch' | 'caffe' | 'tf';

/** Every {@link PreprocessMode}. */
export const PREPROCESS_MODES: readonly PreprocessMode[] = ['torch', 'caffe', 'tf'];

/** ImageNet per-channel RGB mean in [0, 1] units (torchvision, timm `IMAGENET_DEFAULT_MEAN`). */
export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];

/** ImageNet per-channel RGB standard deviation in [0, 1] units (torchvision, timm `IMAGENET_DEFAULT_STD`). */
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

/** Keras `imagenet_utils` caffe-mode means, BGR order, 0..255 units. */
export const CAFFE_BGR_MEAN: readonly [number, number, number] = [103.939, 116.779, 123.68];

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

/** Scaling and normalisation of a convention; `mean`/`std` override the torch defaults. */
export function normalisation(
  mode: PreprocessMode,
  mean?: readonly [number, number, number],
  std?: readonly [number, number, number],
): Pick<ImageTransform, 'channelOrder' | 'valueRange' | 'mean' | 'std'> {
  if (mode === 'caffe') return { channelOrder: 'bgr', valueRange: [0, 255], mean: [...CAFFE_BGR_MEAN], std: [1, 1, 1] };
  if (mode === 'tf') return { channelOrder: 'rgb', valueRange: [-1, 1], mean: [0, 0, 0], std: [1, 1, 1] };
  return { channelOrder: 'rgb', valueRange: [0, 1], mean: [...(mean ?? IMAGENET_MEAN)], std: [...(std ?? IMAGENET_STD)] };
}

function fail(field: string, got: unknown, valid: string): never {
  throw new Error(`preprocess: ${field} must be ${valid}, got ${JSON.stringify(got)}`);
}

/** Checks every field of a complete transform, naming the bad one and what is valid. */
export function validateTransform(t: ImageTransform): void {
  if (t.resizeSize !== null) checkPositiveInt(t.resizeSize, 'preprocess: resizeSize (or null)');
  if (t.cropSize !== null) checkPositiveInt(t.cropSize, 'preprocess: cropSize (or null)');
  if (t.interpolation !== 'bilinear' && t.interpolation !== 'bicubic') fail('interpolation', t.interpolation, "'bilinear' or 'bicubic'");
  if (typeof t.antialias !== 'boolean') fail('antialias', t.antialias, 'true or false');
  if (t.channelOrder !== 'rgb' && t.channelOrder !== 'bgr') fail('channelOrder', t.channelOrder, "'rgb' or 'bgr'");
  const triple = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every((x) => Number.isFinite(x));
  if (!(Array.isArray(t.valueRange) && t.valueRange.length === 2 && t.valueRange.every(Number.isFinite))) fail('valueRange', t.valueRange, '[min, max]');
  if (!triple(t.mean)) fail('mean', t.mean, 'three numbers');
  if (!triple(t.std) || t.std.some((s) => s === 0)) fail('std', t.std, 'three non-zero numbers');
}
