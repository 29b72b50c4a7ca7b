/**
 * Decoding encoded images where the code runs: `sharp` in Node, the browser's
 * decoders elsewhere. This file is the one seam between the two: `#platform`
 * says which host this is, and each side's module is imported only there.
 */
import { platform } from '#platform';
import type { FetchLike } from '../weights/source.js';
import type { RgbImage } from '../transforms/pixels.js';
import type { EncodedImage } from './node-image.js';

export type { EncodedImage };

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
export async function decodeImage(source: EncodedImage, opts: { fetch?: FetchLike } = {}): Promise<RgbImage> {
  const impl = platform.name === 'node' ? await import('./node-image.js') : await import('./browser-image.js');
  return impl.decodeImage(source, opts);
}
