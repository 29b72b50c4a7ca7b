/**
 * Image preprocessing as the weights were trained: resize the shorter side,
 * center-crop, then normalise by one of the three conventions of the ecosystem.
 *
 * - `'torch'`: RGB in [0, 1], minus mean, over std (torchvision; default ImageNet stats).
 * - `'caffe'`: RGB → BGR, minus the ImageNet BGR means in 0..255, no scaling (Keras ResNet50).
 * - `'tf'`: scaled to [-1, 1] (Keras ResNet50V2, MobileNet).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PreprocessMode } from '../pretrained/table.js';

/** Options of {@link preprocess}. */
export interface PreprocessOptions {
  /** Normalisation convention. Default `'torch'`. */
  mode?: PreprocessMode;
  /** Center-crop size (square); `null` keeps the image size. Default 224. */
  size?: number | null;
  /** Shorter side after resizing, before the crop. Default `round(size / 0.875)` (256 for 224), as torchvision. */
  resizeSize?: number;
  /** `'torch'` mode mean (RGB, [0, 1] units). Default ImageNet `[0.485, 0.456, 0.406]`. */
  mean?: [number, number, number];
  /** `'torch'` mode std. Default ImageNet `[0.229, 0.224, 0.225]`. */
  std?: [number, number, number];
}

/** Raw pixels in the shape of a DOM `ImageData` (RGBA) or a packed RGB buffer. */
export interface PixelData {
  /** Row-major pixel bytes. */
  data: Uint8Array | Uint8ClampedArray;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Channels in `data` (4 for ImageData RGBA, 3 for RGB). Default: inferred from the length. */
  channels?: 3 | 4;
}

/** Keras `imagenet_utils` caffe-mode means, BGR order, 0..255 units. */
export const CAFFE_BGR_MEAN: readonly [number, number, number] = [103.939, 116.779, 123.68];
const IMAGENET_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
const IMAGENET_STD: [number, number, number] = [0.229, 0.224, 0.225];

function toTensor(image: tf.Tensor | PixelData): tf.Tensor4D {
  if (image instanceof tf.Tensor) {
    if (image.rank === 3) return tf.cast(tf.expandDims(image, 0), 'float32') as tf.Tensor4D;
    if (image.rank === 4) return tf.cast(image, 'float32') as tf.Tensor4D;
    throw new Error(`preprocess: image tensor must be [height, width, 3] or [batch, height, width, 3], got [${image.shape.join(', ')}]`);
  }
  const { data, width, height } = image;
  const channels = image.channels ?? (data.length === width * height * 4 ? 4 : 3);
  if (data.length !== width * height * channels) {
    throw new Error(`preprocess: pixel data has ${data.length} bytes; ${width}×${height}×${channels} needs ${width * height * channels}`);
  }
  const t = tf.tensor4d(Float32Array.from(data), [1, height, width, channels]);
  if (channels === 3) return t;
  const rgb = tf.slice(t, [0, 0, 0, 0], [1, height, width, 3]) as tf.Tensor4D;
  t.dispose();
  return rgb;
}

/** Resizes so the shorter side is `short` (longer side truncated, as torchvision). */
function resizeShorter(x: tf.Tensor4D, short: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  const [nh, nw] = h <= w ? [short, Math.floor((short * w) / h)] : [Math.floor((short * h) / w), short];
  if (nh === h && nw === w) return x;
  return tf.image.resizeBilinear(x, [nh, nw], false, true);
}

/** Python's round(): halves go to the even neighbour (torchvision's crop offsets use it). */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d !== 0.5) return Math.round(v);
  return f % 2 === 0 ? f : f + 1;
}

/** Center crop of `size`×`size`; offsets `round((h - size) / 2)` with Python rounding, as torchvision's `center_crop`. */
function centerCrop(x: tf.Tensor4D, size: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (h < size || w < size) throw new Error(`preprocess: cannot crop ${size}×${size} from a ${h}×${w} image; lower size or raise resizeSize`);
  const top = roundHalfEven((h - size) / 2);
  const left = roundHalfEven((w - size) / 2);
  return tf.slice(x, [0, top, left, 0], [n, size, size, c]);
}

/**
 * Turns an image (a `[h, w, 3]` / `[n, h, w, 3]` tensor of 0..255 values, or
 * ImageData-like pixels) into a normalised float32 NHWC batch for a model.
 */
export function preprocess(image: tf.Tensor | PixelData, opts: PreprocessOptions = {}): tf.Tensor4D {
  const mode = opts.mode ?? 'torch';
  if (!['torch', 'caffe', 'tf'].includes(mode)) {
    throw new Error(`preprocess: mode must be 'torch', 'caffe' or 'tf', got ${JSON.stringify(mode)}`);
  }
  const size = opts.size === undefined ? 224 : opts.size;
  return tf.tidy(() => {
    let x = toTensor(image);
    if (x.shape[3] !== 3) throw new Error(`preprocess: expected 3 (RGB) channels, got ${x.shape[3]}`);
    if (size !== null) {
      x = resizeShorter(x, opts.resizeSize ?? Math.round(size / 0.875));
      x = centerCrop(x, size);
    }
    if (mode === 'tf') return tf.sub(tf.div(x, 127.5), 1) as tf.Tensor4D;
    if (mode === 'caffe') {
      return tf.sub(tf.reverse(x, 3), tf.tensor1d([...CAFFE_BGR_MEAN])) as tf.Tensor4D;
    }
    const mean = tf.tensor1d(opts.mean ?? IMAGENET_MEAN);
    const std = tf.tensor1d(opts.std ?? IMAGENET_STD);
    return tf.div(tf.sub(tf.div(x, 255), mean), std) as tf.Tensor4D;
  });
}
