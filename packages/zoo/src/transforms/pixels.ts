/**
 * Images as pixels on the CPU: what the resampler works on. Bytes (decoded
 * files, `ImageData`, int32 tensors from `tf.browser.fromPixels`) stay bytes,
 * so they are resized exactly as Pillow resizes them; float tensors stay floats.
 */
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

/** RGB pixels of a `PixelData` (bytes: resized as Pillow resizes). */
export function pixelDataToRgb(p: PixelData, what = 'image'): Pixels {
  const { data, width, height } = p;
  if (!(width > 0 && height > 0)) throw new Error(`${what}: width and height must be positive, got ${width}×${height}`);
  const channels = p.channels ?? ([4, 3, 1].find((c) => data.length === width * height * c) ?? 0);
  if (!channels) throw new Error(`${what}: ${data.length} bytes is not ${width}×${height} pixels of 1, 3 or 4 channels`);
  const bytes = data instanceof Uint8ClampedArray ? new Uint8Array(data.buffer, data.byteOffset, data.length) : data;
  return toRgb(bytes, width, height, channels, false, what);
}

/**
 * The images of a `[h, w, c]` or `[n, h, w, c]` tensor, from its values
 * (`values` = `dataSync()` or `await data()`). int32 (and bool / uint8-like)
 * tensors are 0..255 bytes, clamped and rounded; float32 tensors stay floats.
 */
export function tensorToRgb(t: tf.Tensor, values: tf.TypedArray, what = 'image'): Pixels[] {
  if (t.rank !== 3 && t.rank !== 4) {
    throw new Error(`${what}: image tensor must be [height, width, channels] or [batch, height, width, channels], got [${t.shape.join(', ')}]`);
  }
  const [n, h, w, c] = (t.rank === 3 ? [1, ...t.shape] : t.shape) as [number, number, number, number];
  const float = t.dtype === 'float32';
  const size = h * w * c;
  const out: Pixels[] = [];
  for (let i = 0; i < n; i++) {
    const slice = values.subarray(i * size, (i + 1) * size);
    const src = float ? Float32Array.from(slice) : Uint8Array.from(slice, (v) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v)));
    out.push(toRgb(src, w, h, c, float, what));
  }
  return out;
}
