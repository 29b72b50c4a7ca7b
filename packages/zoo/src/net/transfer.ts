/**
 * One download: follows redirects itself to read the Hub's integrity headers on
 * the way (see hub.ts), streams the body with progress, and refuses a body
 * that ends before its announced length. Nothing here touches a cache or
 * another folder of the package: `net/` is a leaf.
 */
import type { FetchInit, FetchLike, ResponseLike } from './fetch.js';
import { etagSha256, parseHubUrl, shaFromTree, treeApiUrl } from './hub.js';

/** Progress of one download: bytes received, and the total when the server announced it. */
export interface DownloadProgress {
  /** Bytes received so far. */
  loaded: number;
  /** The file's size when the server announced it (`Content-Length`, Hub `X-Linked-Size`), else null. */
  total: number | null;
}

/** What a download brought back. */
interface Transferred {
  bytes: Uint8Array;
  /** SHA-256 announced by the server (Hub), or null. */
  sha256: string | null;
  /** Hub commit (`X-Repo-Commit`), or null. */
  commit: string | null;
}

/** Options of {@link transfer}. */
interface TransferOptions {
  fetch?: FetchLike;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
}

const MAX_REDIRECTS = 5;

async function request(f: FetchLike, url: string, init: FetchInit): Promise<ResponseLike> {
  try {
    return await f(url, init);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new Error(
      `cannot download '${url}' (${cause}); is the network reachable? ` +
        'Download the file by other means and pass its path or bytes instead.',
    );
  }
}

const header = (res: ResponseLike, name: string) => res.headers?.get(name) ?? null;

function intHeader(res: ResponseLike, name: string): number | null {
  const v = header(res, name);
  return v != null && /^\d+$/.test(v.trim()) ? Number(v) : null;
}

/** The SHA-256 a Hub response announces (`X-Linked-Etag`, else an `ETag` of 64 hex digits). */
function announcedSha(res: ResponseLike): string | null {
  return etagSha256(header(res, 'x-linked-etag')) ?? etagSha256(header(res, 'etag'));
}

/** Downloads `url`; see the module comment. */
export async function transfer(url: string, opts: TransferOptions = {}): Promise<Transferred> {
  const f = opts.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  if (!f) throw new Error(`cannot download '${url}': no fetch() available; pass the bytes or a file path instead`);
  const hub = parseHubUrl(url);
  let sha256: string | null = null;
  let size: number | null = null;
  let commit: string | null = null;
  let current = url;
  let res = await request(f, current, { redirect: 'manual', signal: opts.signal });
  for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
    const location = header(res, 'location');
    if (hops === MAX_REDIRECTS || !location) {
      throw new Error(`cannot download '${url}': ${location ? 'too many redirects' : `HTTP ${res.status} without a Location`}`);
    }
    if (hub) {
      sha256 ??= announcedSha(res);
      size ??= intHeader(res, 'x-linked-size');
    }
    commit ??= header(res, 'x-repo-commit');
    current = new URL(location, current).href;
    res = await request(f, current, { redirect: 'manual', signal: opts.signal });
  }
  if (res.type === 'opaqueredirect') {
    // A browser: the redirect's headers are hidden; ask the tree API, then let fetch follow.
    if (hub) sha256 = await shaFromTreeApi(f, hub, opts.signal);
    res = await request(f, current, { redirect: 'follow', signal: opts.signal });
  }
  if (!res.ok) {
    throw new Error(`cannot download '${url}': HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  }
  if (hub && current === url) sha256 ??= announcedSha(res);
  commit ??= header(res, 'x-repo-commit');
  const encoded = (header(res, 'content-encoding') ?? 'identity') !== 'identity';
  const total = (encoded ? null : intHeader(res, 'content-length')) ?? size;
  const bytes = await readBody(res, url, total, opts.onProgress);
  if (size != null && bytes.byteLength !== size) {
    throw new Error(`download of '${url}' is ${bytes.byteLength} bytes but the server announced ${size}`);
  }
  return { bytes, sha256, commit };
}

/** Downloads a URL's bytes; network failures say "is the network reachable?", HTTP errors give the status. */
export async function fetchBytes(url: string, fetchImpl?: FetchLike, onProgress?: (p: DownloadProgress) => void): Promise<Uint8Array> {
  return (await transfer(url, { fetch: fetchImpl, onProgress })).bytes;
}

async function shaFromTreeApi(f: FetchLike, hub: NonNullable<ReturnType<typeof parseHubUrl>>, signal?: AbortSignal): Promise<string | null> {
  try {
    const res = await f(treeApiUrl(hub), { signal });
    if (!res.ok) return null;
    return shaFromTree(JSON.parse(new TextDecoder().decode(await res.arrayBuffer())), hub);
  } catch {
    return null;
  }
}

async function readBody(res: ResponseLike, url: string, total: number | null, onProgress?: (p: DownloadProgress) => void): Promise<Uint8Array> {
  onProgress?.({ loaded: 0, total });
  if (!res.body) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (total != null && bytes.byteLength !== total) throw cutOff(url, bytes.byteLength, total);
    onProgress?.({ loaded: bytes.byteLength, total });
    return bytes;
  }
  const reader = res.body.getReader();
  // With a known length the body goes straight into one buffer: no second copy of 100 MB.
  let out = new Uint8Array(total ?? 1 << 20);
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.byteLength > out.byteLength) {
        if (total != null) throw new Error(`download of '${url}' sent more than the ${total} bytes it announced`);
        const grown = new Uint8Array(Math.max(out.byteLength * 2, loaded + value.byteLength));
        grown.set(out.subarray(0, loaded));
        out = grown;
      }
      out.set(value, loaded);
      loaded += value.byteLength;
      onProgress?.({ loaded, total });
    }
  } catch (e) {
    if ((e as Error).message.startsWith('download of')) throw e;
    throw new Error(`download of '${url}' failed after ${loaded}${total != null ? ` of ${total}` : ''} bytes (${(e as Error).message})`);
  } finally {
    reader.releaseLock();
  }
  if (total != null && loaded !== total) throw cutOff(url, loaded, total);
  return loaded === out.byteLength ? out : out.slice(0, loaded);
}

function cutOff(url: string, loaded: number, total: number): Error {
  return new Error(`download of '${url}' was cut off: ${loaded} of ${total} bytes arrived`);
}
