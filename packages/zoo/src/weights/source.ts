/**
 * Turning a weight "source" (path, URL, or bytes) into bytes. Local files go
 * through the host platform (`#platform`), so browser bundles never contain a
 * Node built-in; there a string is a URL (relative ones against the page).
 */
import { readBytes, type ByteSource } from '../io/bytes.js';
import type { FetchLike } from '../net/fetch.js';
import type { DownloadProgress } from '../net/transfer.js';

/** Where weights come from: a file path (Node), an http(s) or `file:` (Node) URL, or the bytes themselves. */
export type WeightSource = ByteSource;

/** Options of {@link readSource}. */
export interface ReadSourceOptions {
  /** The fetch used for http(s) URLs (default: the global `fetch`). */
  fetch?: FetchLike;
  /** Called as a download advances. */
  onProgress?: (p: DownloadProgress) => void;
  /** Aborts a download. */
  signal?: AbortSignal;
}

/**
 * Resolves any {@link WeightSource} to its bytes.
 *
 * @example
 * ```ts
 * const bytes = await readSource('https://example.com/model.safetensors', { onProgress: ({ loaded }) => console.log(loaded) });
 * ```
 */
export async function readSource(source: WeightSource, opts: ReadSourceOptions = {}): Promise<Uint8Array> {
  return (await readBytes(source, { ...opts, what: 'weights file' })).bytes;
}
