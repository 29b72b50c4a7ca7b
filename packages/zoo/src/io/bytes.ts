/**
 * A source given as bytes, a path or a URL, turned into its bytes: the one
 * place where weights files and image files are read or fetched. Where a
 * string points (a path in Node, a URL relative to the page in browsers) is
 * the platform's answer (`platform.locate`).
 */
import { platform } from '#platform';
import type { FetchLike } from '../net/fetch.js';
import { fetchBytes, type DownloadProgress } from '../net/transfer.js';

/** Bytes, or where to read or fetch them. */
export type ByteSource = string | URL | ArrayBuffer | Uint8Array;

/** Options of {@link readBytes}. */
interface ReadBytesOptions {
  /** The fetch used for http(s) URLs (default: the global `fetch`). */
  fetch?: FetchLike;
  /** Called as a download advances. */
  onProgress?: (p: DownloadProgress) => void;
  /** What the file is, for error messages (`'weights file'`, `'image file'`). */
  what: string;
  /** Aborts a download. */
  signal?: AbortSignal;
}

/** The bytes of `source`, and a name for it in messages (its path or URL). */
export async function readBytes(source: ByteSource, opts: ReadBytesOptions): Promise<{ bytes: Uint8Array; name: string }> {
  const bytesName = `${opts.what.replace(/ file$/, '')} bytes`; // 'image bytes', 'weights bytes'
  if (source instanceof Uint8Array) return { bytes: source, name: bytesName };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), name: bytesName };
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw new Error(
      `unsupported ${opts.what} source of type ${Object.prototype.toString.call(source)}; ` +
        'pass a file path, a URL, an ArrayBuffer or a Uint8Array',
    );
  }
  const where = platform.locate(source);
  if (where.path !== undefined) return { bytes: await platform.readFile(where.path, opts.what), name: where.path };
  return { bytes: await fetchBytes(where.url, opts.fetch, opts.onProgress, opts.signal), name: where.url };
}
