/**
 * `preprocess`: an image to the normalised NHWC float32 batch a model takes,
 * by the eval transform of a set of weights — torchvision's
 * `ImageClassification`: resize the shorter side (Pillow's antialiased filters),
 * center-crop, scale, normalise. The pixel work runs on the CPU in one pass
 * that computes only the cropped part of the resized image.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PretrainedEntry } from '../pretrained/table.js';
import type { PixelData } from '../spec/image.js';
import { isPixelData, pixelDataToRgb, tensorToRgb } from './pixels.js';
import { resample, type Pixels, type Window } from './resample.js';
import type { ImageTransform } from '../spec/transform.js';
import { resolveTransform, type PreprocessOptions } from './transform.js';

/** Python's round(): halves go to the even neighbour (torchvision's crop offsets use it). */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  if (v - f !== 0.5) return Math.round(v);
  return f % 2 === 0 ? f : f + 1;
}

/** torchvision's `_compute_resized_output_size` for one size: the shorter side becomes `size`, the longer one is truncated. */
function resizedSize(width: number, height: number, size: number): [number, number] {
  if (width <= height) return [size, Math.trunc((size * height) / width)];
  return [Math.trunc((size * width) / height), size];
}

/** Resize, center crop and normalise one RGB image into `out` at `offset` (HWC, the model's channel order). */
function transformInto(img: Pixels, t: ImageTransform, out: Float32Array, offset: number): void {
  const [w, h] = t.resizeSize === null ? [img.width, img.height] : resizedSize(img.width, img.height, t.resizeSize);
  const size = t.cropSize;
  if (size !== null && (w < size || h < size)) {
    throw new Error(`preprocess: cannot crop ${size}×${size} from a ${w}×${h} image; lower cropSize or raise resizeSize`);
  }
  const win: Window = size === null ? { left: 0, top: 0, width: w, height: h } : { left: roundHalfEven((w - size) / 2), top: roundHalfEven((h - size) / 2), width: size, height: size };
  const px = resample(img, w, h, { interpolation: t.interpolation, antialias: t.antialias, window: win });
  const [lo, hi] = t.valueRange;
  const scale = (hi - lo) / 255;
  const order = t.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const src = px.data;
  for (let i = 0, n = win.width * win.height; i < n; i++) {
    for (let k = 0; k < 3; k++) {
      out[offset + 3 * i + k] = (lo + src[3 * i + order[k]!]! * scale - t.mean[k]!) / t.std[k]!;
    }
  }
}

/** Transforms RGB images into one `[n, h, w, 3]` batch (they must come out the same size). */
export function transformBatch(images: Pixels[], t: ImageTransform): tf.Tensor4D {
  if (images.length === 0) throw new Error('preprocess: no images');
  const dims = images.map((img) => (t.cropSize !== null ? [t.cropSize, t.cropSize] : t.resizeSize === null ? [img.height, img.width] : resizedSize(img.width, img.height, t.resizeSize).reverse()));
  const [h, w] = dims[0]!;
  if (dims.some(([a, b]) => a !== h || b !== w)) {
    throw new Error(`preprocess: the images come out in different sizes (${dims.map((d) => d.join('×')).join(', ')}); set cropSize to batch them`);
  }
  const per = h! * w! * 3;
  const out = new Float32Array(per * images.length);
  images.forEach((img, i) => transformInto(img, t, out, i * per));
  return tf.tensor4d(out, [images.length, h!, w!, 3]);
}

/**
 * Turns an image into the normalised float32 NHWC batch a model takes, by the
 * eval transform of `spec`: a pretrained tag (`'resnet50.tv2_in1k'`), its
 * table entry, or options (default: torchvision's ImageNet eval transform,
 * resize 256, center crop 224, bilinear with antialias, ImageNet mean/std).
 *
 * `image`: a `[h, w, c]` or `[n, h, w, c]` tensor of 0..255 values (c = 1, 3
 * or 4), or pixels such as a DOM `ImageData`. Bytes (ImageData, int32 tensors
 * such as `tf.browser.fromPixels` gives) are resized exactly as Pillow resizes
 * them; float32 tensors as torchvision resizes float tensors (no rounding
 * between the passes). A tensor is read with `dataSync()`: on a GPU backend use
 * `loadClassifier`, which reads asynchronously.
 *
 * @example
 * ```ts
 * const image = tf.randomUniform([300, 400, 3], 0, 255, 'int32'); // e.g. from decodeImage or tf.browser.fromPixels
 * const x = preprocess(image, 'resnet50.tv2_in1k'); // [1, 224, 224, 3]: resize 232, crop 224, ImageNet mean/std
 * const caffe = preprocess(image, { mode: 'caffe' }); // Keras ResNet50's BGR mean subtraction
 * ```
 */
export function preprocess(image: tf.Tensor | PixelData, spec?: string | PretrainedEntry | PreprocessOptions): tf.Tensor4D {
  const t = resolveTransform(spec);
  let images: Pixels[];
  if (image instanceof tf.Tensor) images = tensorToRgb(image, image.dataSync(), 'preprocess');
  else if (isPixelData(image)) images = [pixelDataToRgb(image, 'preprocess')];
  else throw new Error('preprocess: image must be a tensor or { data, width, height } pixels (e.g. ImageData)');
  return transformBatch(images, t);
}
