/**
 * Decoding encoded images where the code runs: `sharp` in Node, the browser's
 * decoders elsewhere. This file is the one seam between the two: each side's
 * module is imported only where it can run (a bundler condition `node` /
 * `browser` can replace this runtime check).
 */
import type { FetchLike } from '../weights/source.js';
import type { Pixels } from '../transforms/resample.js';
import type { EncodedImage } from './node-image.js';

export type { EncodedImage };

const isNode = () => typeof process !== 'undefined' && !!process.versions?.node;

/** Decodes JPEG / PNG / WebP (…) bytes, a file path (Node) or a URL into RGB bytes. */
export async function decodeImage(source: EncodedImage, opts: { fetch?: FetchLike } = {}): Promise<Pixels> {
  const impl = isNode() ? await import('./node-image.js') : await import('./browser-image.js');
  return impl.decodeImage(source, opts);
}
