/**
 * The network contract of the zoo: the part of `fetch` and its `Response`
 * that the downloads use, so a caller can inject any transport (tests, a
 * proxy, a service worker). Types only; nothing here imports another module.
 */

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
  /** True when fetch followed a redirect to get this response. */
  redirected?: boolean;
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
  /** Request headers (`Range` to resume a download). */
  headers?: Record<string, string>;
}

/** A `fetch`-compatible function (injectable for tests and custom transports). */
export type FetchLike = (url: string, init?: FetchInit) => Promise<ResponseLike>;
