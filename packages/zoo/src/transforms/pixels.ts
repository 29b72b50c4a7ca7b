/**
 * Images as pixels on the CPU: what the resampler works on. Bytes (decoded
 * files, `ImageData`, int32 tensors from `tf.browser.fromPixels`) stay bytes,
 * so they are resized exactly as Pillow resizes them; float tensors stay floats.
 */
import { checkPositiveInt } from '@resnet/blocks';
import * as tf from '@tensorflow/tfjs-core';
import type { PixelData } from '../spec/image.js';
import type { Pixels } from './resample.js';

/** True for `{ data, width, height }` objects such as a DOM `ImageData`. */
export function isPixelData(x: unknown): x is PixelData {
  if (x === null || typeof x !== 'object') return false;
  const p = x as PixelData;
  return (p.data instanceof Uint8Array || p.data instanceof Uint8ClampedArray) && Number.isInteger(p.width) && Number.isInteger(p.height);
}

/**
 * Three-channel pixels from 1 (gray: replicated), 3 or 4 (alpha dropped, as
 * PIL's `convert('RGB')` drops it) channels. Returns `data` itself when it
 * already is RGB of the right type.
 */
export function toRgb(data: ArrayLike<number>, width: number, height: number, channels: number, float: boolean, what: string): Pixels {
  if (![1, 3, 4].includes(channels)) throw new Error(`${what}: expected 1 (gray), 3 (RGB) or 4 (RGBA) channels, got ${channels}`);
  const n = width * height;
  if (data.length !== n * channels) {
    throw new Error(`${what}: ${data.length} values; ${width}×${height}×${channels} needs ${n * channels}`);
  }
  if (channels === 3 && (float ? data instanceof Float32Array : data instanceof Uint8Array)) {
    return { data: data as Uint8Array | Float32Array, width, height, channels: 3 };
  }
  const out = float ? new Float32Array(n * 3) : new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) out[3 * i + k] = data[channels === 1 ? i : channels * i + k]!;
  }
  return { data: out, width, height, channels: 3 };
}

/** Refuses an image with no pixels, by name: an empty image is a caller's mistake, not a size to resize. */
function checkNotEmpty(width: number, height: number, what: string): void {
  if (width === 0 || height === 0) throw new Error(`${what}: empty image (${width}×${height} pixels); pass an image with at least one pixel`);
}

/** RGB pixels of a `PixelData` (bytes: resized as Pillow resizes). */
export function pixelDataToRgb(p: PixelData, what = 'image'): Pixels {
  const { data, width, height } = p;
  checkNotEmpty(width, height, what);
  checkPositiveInt(width, `${what}: width`);
  checkPositiveInt(height, `${what}: height`);
  const channels = p.channels ?? ([4, 3, 1].find((c) => data.length === width * height * c) ?? 0);
  if (!channels) throw new Error(`${what}: ${data.length} bytes is not ${width}×${height} pixels of 1, 3 or 4 channels`);
  const bytes = data instanceof Uint8ClampedArray ? new Uint8Array(data.buffer, data.byteOffset, data.length) : data;
  return toRgb(bytes, width, height, channels, false, what);
}

/**
 * The images of a `[h, w, c]` or `[n, h, w, c]` tensor, from its values
 * (`values` = `dataSync()` or `await data()`). int32 (and bool / uint8-like)
 * tensors are 0..255 bytes, clamped and rounded; float32 tensors stay floats
 * and must be finite. Empty images and batches are refused, by name.
 */
export function tensorToRgb(t: tf.Tensor, values: tf.TypedArray, what = 'image'): Pixels[] {
  if (t.rank !== 3 && t.rank !== 4) {
    throw new Error(`${what}: image tensor must be [height, width, channels] or [batch, height, width, channels], got [${t.shape.join(', ')}]`);
  }
  const [n, h, w, c] = (t.rank === 3 ? [1, ...t.shape] : t.shape) as [number, number, number, number];
  if (n === 0) throw new Error(`${what}: empty batch (tensor of shape [${t.shape.join(', ')}]); pass at least one image`);
  checkNotEmpty(w, h, `${what}: [${t.shape.join(', ')}] tensor`);
  const float = t.dtype === 'float32';
  if (float) {
    let bad = 0;
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) bad++;
    if (bad) throw new Error(`${what}: the image tensor holds ${bad} non-finite values (NaN or ±Inf) of ${values.length}; pixels must be finite 0..255 values`);
  }
  const size = h * w * c;
  const out: Pixels[] = [];
  for (let i = 0; i < n; i++) {
    const slice = values.subarray(i * size, (i + 1) * size);
    const src = float ? Float32Array.from(slice) : Uint8Array.from(slice, (v) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v)));
    out.push(toRgb(src, w, h, c, float, what));
  }
  return out;
}
