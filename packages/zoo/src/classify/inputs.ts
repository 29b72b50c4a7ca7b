/**
 * What `classify` accepts, turned into RGB pixels on the CPU without blocking a
 * GPU backend: tensors are read with `await data()`, browser images go through
 * `tf.browser.fromPixels`, encoded files through the platform's decoder.
 */
import * as tf from '@tensorflow/tfjs-core';
import { decodeImage } from '../io/decode.js';
import type { EncodedImage, PixelData } from '../spec/image.js';
import { isPixelData, pixelDataToRgb, tensorToRgb } from '../transforms/pixels.js';
import type { Pixels } from '../transforms/resample.js';
import type { FetchLike } from '../net/fetch.js';

/** What a browser can draw: `tf.browser.fromPixels` sources, plus `OffscreenCanvas` and `VideoFrame`. */
export type BrowserImage = HTMLImageElement | HTMLCanvasElement | HTMLVideoElement | ImageBitmap | OffscreenCanvas | VideoFrame;

/**
 * One image for `classify`: a `[h, w, c]` tensor of 0..255 values (or a
 * `[1, h, w, c]` one), pixels such as `ImageData`, a browser image element,
 * canvas, bitmap or video frame, or an encoded JPEG / PNG / WebP as bytes, a
 * URL, or (Node) a file path.
 */
export type ClassifierInput = tf.Tensor | PixelData | BrowserImage | EncodedImage;

const has = (name: string, x: unknown) => {
  const C = (globalThis as Record<string, unknown>)[name];
  return typeof C === 'function' && x instanceof (C as new () => unknown);
};

async function browserPixels(x: BrowserImage): Promise<Pixels[]> {
  let src: Exclude<BrowserImage, OffscreenCanvas | VideoFrame> = x as never;
  let bitmap: ImageBitmap | undefined;
  if (has('HTMLImageElement', x) && !(x as HTMLImageElement).complete) await (x as HTMLImageElement).decode();
  // fromPixels takes neither: a bitmap of them keeps their pixels.
  if (has('OffscreenCanvas', x) || has('VideoFrame', x)) src = bitmap = await createImageBitmap(x);
  const t = tf.browser.fromPixels(src);
  bitmap?.close();
  try {
    return tensorToRgb(t, await t.data(), 'classify');
  } finally {
    t.dispose();
  }
}

function isBrowserImage(x: unknown): x is BrowserImage {
  return ['HTMLImageElement', 'HTMLCanvasElement', 'HTMLVideoElement', 'ImageBitmap', 'OffscreenCanvas', 'VideoFrame'].some((n) => has(n, x));
}

/** The images of one input (a batched tensor gives several), as RGB pixels. */
export async function inputPixels(x: ClassifierInput, opts: { fetch?: FetchLike; signal?: AbortSignal } = {}): Promise<Pixels[]> {
  if (x instanceof tf.Tensor) return tensorToRgb(x, await x.data(), 'classify');
  if (isPixelData(x)) return [pixelDataToRgb(x, 'classify')];
  if (isBrowserImage(x)) return browserPixels(x);
  if (typeof x === 'string' || x instanceof URL || x instanceof Uint8Array || x instanceof ArrayBuffer) return [await decodeImage(x, opts)];
  throw new Error(
    `classify: unsupported input ${Object.prototype.toString.call(x)}; pass a tensor, ImageData-like pixels, an image / canvas / video / ImageBitmap / VideoFrame, ` +
      'or an encoded JPEG / PNG / WebP as bytes, a URL or (Node) a file path',
  );
}
