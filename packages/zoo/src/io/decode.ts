/**
 * Decoding encoded images, wherever the code runs: the bytes are read or
 * fetched here, and decoded by the host (`platform.decodeImage`: `sharp` in
 * Node, the browser's decoders elsewhere).
 */
import { platform } from '#platform';
import type { FetchLike } from '../net/fetch.js';
import type { EncodedImage, RgbImage } from '../spec/image.js';
import { pixelDataToRgb } from '../transforms/pixels.js';
import { readBytes } from './bytes.js';

/**
 * Decodes an encoded image (JPEG, PNG, WebP, …: bytes, a URL, or in Node a
 * file path) into RGB bytes, as PIL's `Image.open(f).convert('RGB')` would:
 * in Node with `sharp` (an optional peer dependency: `npm install sharp`),
 * in browsers with `createImageBitmap`. Colour profiles and EXIF orientation
 * are ignored, alpha is dropped.
 *
 * @example
 * ```ts
 * const { data, width, height } = await decodeImage('cat.jpg'); // RGB bytes (Node: needs sharp)
 * const x = preprocess(await decodeImage('cat.jpg'), 'resnet50.tv2_in1k');
 * ```
 */
export async function decodeImage(source: EncodedImage, opts: { fetch?: FetchLike; signal?: AbortSignal } = {}): Promise<RgbImage> {
  const { bytes, name } = await readBytes(source, { fetch: opts.fetch, what: 'image file', ...(opts.signal ? { signal: opts.signal } : {}) });
  return pixelDataToRgb(await platform.decodeImage(bytes, name), name) as RgbImage;
}
