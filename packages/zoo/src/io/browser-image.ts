/**
 * Browsers: decoding encoded images (bytes or a URL) with the browser's own
 * decoders (`createImageBitmap`), colour profiles ignored as PIL ignores them.
 */
import { fetchBytes, type FetchLike } from '../weights/source.js';
import { pixelDataToRgb, type RgbImage } from '../transforms/pixels.js';
import type { EncodedImage } from './node-image.js';

/** The RGBA pixels of an `ImageBitmap`, read through a 2D canvas. */
export function bitmapPixels(bitmap: ImageBitmap): ImageData {
  const { width, height } = bitmap;
  const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('cannot read image pixels: no 2D canvas context');
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, width, height);
}

/** Decodes an encoded image (bytes, or a URL fetched first) into RGB bytes. */
export async function decodeImage(source: EncodedImage, opts: { fetch?: FetchLike } = {}): Promise<RgbImage> {
  let bytes: Uint8Array;
  let what = 'image bytes';
  if (source instanceof Uint8Array) bytes = source;
  else if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
  else {
    what = source instanceof URL ? source.href : new URL(source, globalThis.location?.href).href;
    bytes = await fetchBytes(what, opts.fetch);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (e) {
    throw new Error(`${what}: the browser cannot decode this image (${(e as Error).message})`);
  }
  try {
    return pixelDataToRgb(bitmapPixels(bitmap), what) as RgbImage;
  } finally {
    bitmap.close();
  }
}
