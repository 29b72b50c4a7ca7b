/**
 * Turning a weight "source" (path, URL, or bytes) into bytes. Local files go
 * through the host platform (`#platform`), so browser bundles never contain a
 * Node built-in; there a path is refused with a message that says what to pass.
 */
import { platform } from '#platform';
import { transfer, type DownloadProgress } from '../pretrained/transfer.js';

/** Where weights come from: a file path, an http(s)/file URL, or the bytes themselves. */
export type WeightSource = string | URL | ArrayBuffer | Uint8Array;

/** The part of a fetch `Response` the loaders use. */
export interface ResponseLike {
  /** True for a 2xx status. */
  ok: boolean;
  /** HTTP status (0 for an opaque redirect). */
  status: number;
  /** HTTP status text. */
  statusText?: string;
  /** `'opaqueredirect'` when a browser hides a redirect (`redirect: 'manual'`). */
  type?: string;
  /** Response headers (`Location`, `ETag`, `X-Linked-Etag`, `Content-Length`, …). */
  headers?: { get(name: string): string | null };
  /** The body as a stream (read for progress); `arrayBuffer()` is used when absent. */
  body?: ReadableStream<Uint8Array> | null;
  /** The whole body. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** What the loaders pass to fetch. */
export interface FetchInit {
  /** `'manual'` to see the Hub's redirect and its integrity headers. */
  redirect?: 'follow' | 'manual';
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** A `fetch`-compatible function (injectable for tests and custom transports). */
export type FetchLike = (url: string, init?: FetchInit) => Promise<ResponseLike>;

/** Options for {@link readSource}. */
export interface ReadSourceOptions {
  /** The fetch used for http(s) URLs (default: the global `fetch`). */
  fetch?: FetchLike;
  /** Called as a download advances. */
  onProgress?: (p: DownloadProgress) => void;
}

function isHttp(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** Reads a local file (Node), with a message that names the path on failure. */
export function readLocalFile(path: string): Promise<Uint8Array> {
  return platform.readFile(path);
}

/** Downloads a URL; network failures say "is the network reachable?", HTTP errors give the status. */
export async function fetchBytes(url: string, fetchImpl?: FetchLike, onProgress?: (p: DownloadProgress) => void): Promise<Uint8Array> {
  return (await transfer(url, { fetch: fetchImpl, onProgress })).bytes;
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
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (source instanceof URL) {
    if (source.protocol === 'file:') return readLocalFile(platform.fileURLToPath(source));
    return fetchBytes(source.href, opts.fetch, opts.onProgress);
  }
  if (typeof source === 'string') {
    if (isHttp(source)) return fetchBytes(source, opts.fetch, opts.onProgress);
    if (source.startsWith('file://')) return readSource(new URL(source), opts);
    return readLocalFile(source);
  }
  throw new Error(
    `unsupported weight source of type ${Object.prototype.toString.call(source)}; ` +
      'pass a file path, a URL, an ArrayBuffer or a Uint8Array',
  );
}
