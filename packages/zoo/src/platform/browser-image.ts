/**
 * Browsers: decoding encoded image bytes with the browser's own decoders
 * (`createImageBitmap`), colour profiles ignored as PIL ignores them.
 */
import type { PixelData } from '../spec/image.js';

/** The RGBA pixels of an `ImageBitmap`, read through a 2D canvas. */
function bitmapPixels(bitmap: ImageBitmap): ImageData {
  const { width, height } = bitmap;
  const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('cannot read image pixels: no 2D canvas context');
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, width, height);
}

/** Decodes encoded image bytes into RGBA pixels; errors name the image as `what`. */
export async function decodeImageBytes(bytes: Uint8Array, what: string): Promise<PixelData> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (e) {
    throw new Error(`${what}: the browser cannot decode this image (${(e as Error).message})`);
  }
  try {
    const { data, width, height } = bitmapPixels(bitmap);
    return { data, width, height, channels: 4 };
  } finally {
    bitmap.close();
  }
}
