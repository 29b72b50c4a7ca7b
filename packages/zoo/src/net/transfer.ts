/**
 * One download: follows redirects itself to read the Hub's integrity headers on
 * the way (see hub.ts), streams the body with progress, and refuses a body
 * that ends before its announced length. Nothing here touches a cache or
 * another folder of the package: `net/` is a leaf.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
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
  /** SHA-256 (hex) of the bytes, computed as they arrived, when `sha256: true` was asked. */
  digest?: string;
}

/** Options of {@link transfer}. */
interface TransferOptions {
  fetch?: FetchLike;
  onProgress?: (p: DownloadProgress) => void;
  /** Aborts the download (no retry); the error's name is `'AbortError'`. */
  signal?: AbortSignal;
  /** No byte for this long (ms) fails the attempt as stalled. Default {@link DEFAULT_STALL_TIMEOUT_MS}. */
  stallTimeoutMs?: number;
  /** Attempts after the first on a stall, a dropped connection or HTTP 429 / 5xx. Default {@link DEFAULT_RETRIES}. */
  retries?: number;
  /** Hash the bytes (SHA-256) while they arrive, so that no second pass over them is needed. */
  sha256?: boolean;
  /** Called before each retry, with the offset it resumes from (HTTP Range) or 0. */
  onRetry?: (r: { attempt: number; reason: string; resumeFrom: number }) => void;
}

/** Default stall timeout: a download that receives no byte for 30 s fails (huggingface_hub waits 10 s for a connection, transformers.js has none). */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;
/** Default retries of a download (huggingface_hub retries 5 times, with exponential backoff). */
export const DEFAULT_RETRIES = 3;
const MAX_REDIRECTS = 5;
const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

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

/** An attempt's failure that another attempt may cure. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly waitMs: number | null = null,
  ) {
    super(message);
  }
}

/** Per attempt: the stall timer and the caller's signal, as one signal and a race for every await. */
class Guard {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fail!: (e: Error) => void;
  private readonly failed: Promise<never>;

  constructor(
    private readonly user: AbortSignal | undefined,
    private readonly stallMs: number,
    private readonly url: string,
  ) {
    this.failed = new Promise<never>((_, reject) => (this.fail = reject));
    this.failed.catch(() => {});
    user?.addEventListener('abort', this.onAbort);
    this.arm();
  }

  // fail() before abort(): the race must settle with our reason, not with fetch's AbortError.
  private readonly onAbort = () => {
    this.fail(abortError(this.url, this.user));
    this.controller.abort();
  };

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Restarts the stall timer (on every byte that arrives). */
  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {

      this.fail(new Retryable(`no bytes for ${this.stallMs / 1000} s (stall timeout; option stallTimeoutMs)`));
      this.controller.abort();
    }, this.stallMs);
  }

  /** `p`, or the stall / abort that comes first. */
  race<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.failed]);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.user?.removeEventListener('abort', this.onAbort);
  }
}

function abortError(url: string, signal?: AbortSignal): Error {
  const why = signal?.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return Object.assign(new Error(`download of '${url}' was aborted${why}`), { name: 'AbortError' });
}

const sleep = (ms: number, signal: AbortSignal | undefined, url: string) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(url, signal));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(t);
      reject(abortError(url, signal));
    };
    signal?.addEventListener('abort', stop, { once: true });
  });

/** The start offset of a `206` answer's `Content-Range: bytes <start>-<end>/<size>`, or null. */
function rangeStart(res: ResponseLike): number | null {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header(res, 'content-range')?.trim() ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * Downloads `url`; see the module comment. Each attempt fails on a stall (no
 * byte for `stallTimeoutMs`); a stall, a connection dropped mid-body and HTTP
 * 408 / 429 / 5xx are retried (`retries`, exponential backoff from 0.25 s, or
 * the server's `Retry-After`), a dropped body resumed with an HTTP `Range`
 * request where the server answers `206`, else restarted.
 */
export async function transfer(url: string, opts: TransferOptions = {}): Promise<Transferred> {
  const f = opts.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  if (!f) throw new Error(`cannot download '${url}': no fetch() available; pass the bytes or a file path instead`);
  const stallMs = opts.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const retries = opts.retries ?? DEFAULT_RETRIES;
  if (!(stallMs > 0)) throw new Error(`download of '${url}': stallTimeoutMs must be a positive number of ms, got ${stallMs}`);
  if (!Number.isInteger(retries) || retries < 0) throw new Error(`download of '${url}': retries must be a non-negative integer, got ${retries}`);
  const hub = parseHubUrl(url);
  const state: Transferred & { size: number | null; final: string | null; body: Body | null } = { bytes: new Uint8Array(0), sha256: null, commit: null, size: null, final: null, body: null };
  for (let attempt = 0; ; attempt++) {
    if (opts.signal?.aborted) throw abortError(url, opts.signal);
    const guard = new Guard(opts.signal, stallMs, url);
    try {
      const resumeFrom = state.body?.loaded ?? 0;
      let res: ResponseLike;
      if (state.final && resumeFrom > 0) {
        res = await guard.race(request(f, state.final, { redirect: 'follow', signal: guard.signal, headers: { range: `bytes=${resumeFrom}-` } }));
        checkStatus(res, url);
        if (res.status !== 206 || rangeStart(res) !== resumeFrom) state.body = null; // the server ignored the Range: start over
      } else {
        res = await guard.race(open(f, url, hub, state, guard));
        checkStatus(res, url);
        state.body = null;
      }
      if (!state.body) {
        const encoded = (header(res, 'content-encoding') ?? 'identity') !== 'identity';
        state.body = new Body(url, (encoded ? null : intHeader(res, 'content-length')) ?? state.size, opts.onProgress, opts.sha256 ? await createSHA256() : null);
      }
      await state.body.read(res, guard);
      const bytes = state.body.finish();
      if (state.size != null && bytes.byteLength !== state.size) {
        throw new Error(`download of '${url}' is ${bytes.byteLength} bytes but the server announced ${state.size}`);
      }
      const digest = state.body.digest();
      return { bytes, sha256: state.sha256, commit: state.commit, ...(digest ? { digest } : {}) };
    } catch (e) {
      if (opts.signal?.aborted) throw abortError(url, opts.signal);
      if (!(e instanceof Retryable)) throw e;
      if (attempt >= retries) {
        throw new Error(`download of '${url}' failed after ${attempt + 1} attempts: ${e.message}`);
      }
      const resumeFrom = state.body?.loaded ?? 0;
      opts.onRetry?.({ attempt: attempt + 1, reason: e.message, resumeFrom });
      await sleep(e.waitMs ?? Math.min(250 * 2 ** attempt, 4000), opts.signal, url);
    } finally {
      guard.dispose();
    }
  }
}

/** Follows redirects by hand to read the Hub's integrity headers on the way (see hub.ts). */
async function open(f: FetchLike, url: string, hub: ReturnType<typeof parseHubUrl>, state: { sha256: string | null; commit: string | null; size: number | null; final: string | null }, guard: Guard): Promise<ResponseLike> {
  if (IN_BROWSER) return openFollowing(f, url, hub, state, guard);
  let current = url;
  let res = await request(f, current, { redirect: 'manual', signal: guard.signal });
  for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
    const location = header(res, 'location');
    if (hops === MAX_REDIRECTS || !location) {
      throw new Error(`cannot download '${url}': ${location ? 'too many redirects' : `HTTP ${res.status} without a Location`}`);
    }
    if (hub) {
      state.sha256 ??= announcedSha(res);
      state.size ??= intHeader(res, 'x-linked-size');
    }
    state.commit ??= header(res, 'x-repo-commit');
    current = new URL(location, current).href;
    guard.arm();
    res = await request(f, current, { redirect: 'manual', signal: guard.signal });
  }
  if (res.type === 'opaqueredirect') {
    // A browser: the redirect's headers are hidden; ask the tree API, then let fetch follow.
    if (hub) state.sha256 = await shaFromTreeApi(f, hub, guard.signal);
    res = await request(f, current, { redirect: 'follow', signal: guard.signal });
  }
  if (res.ok) {
    if (hub && current === url) state.sha256 ??= announcedSha(res);
    state.commit ??= header(res, 'x-repo-commit');
  }
  state.final = current;
  return res;
}

/**
 * Browsers hide a redirect's headers (`redirect: 'manual'` answers an opaque
 * response) and Chromium reports the target it then did not fetch as a failed
 * request: there, fetch follows at once, and the Hub's SHA-256 of a redirected
 * file comes from its tree API.
 */
const IN_BROWSER = typeof (globalThis as { document?: unknown }).document !== 'undefined' ||
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';

async function openFollowing(f: FetchLike, url: string, hub: ReturnType<typeof parseHubUrl>, state: { sha256: string | null; commit: string | null; final: string | null }, guard: Guard): Promise<ResponseLike> {
  const res = await request(f, url, { redirect: 'follow', signal: guard.signal });
  if (res.ok) {
    if (hub) state.sha256 ??= res.redirected ? await shaFromTreeApi(f, hub, guard.signal) : announcedSha(res);
    state.commit ??= header(res, 'x-repo-commit');
  }
  state.final = url;
  return res;
}

/** Throws for an HTTP error: a {@link Retryable} one for 408 / 429 / 5xx. */
function checkStatus(res: ResponseLike, url: string): void {
  if (res.ok) return;
  const msg = `cannot download '${url}': HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  if (!RETRY_STATUS.has(res.status)) throw new Error(msg);
  const after = intHeader(res, 'retry-after');
  throw new Retryable(msg, after != null ? Math.min(after, 10) * 1000 : null);
}

/** Downloads a URL's bytes; network failures say "is the network reachable?", HTTP errors give the status. */
export async function fetchBytes(url: string, fetchImpl?: FetchLike, onProgress?: (p: DownloadProgress) => void, signal?: AbortSignal): Promise<Uint8Array> {
  return (await transfer(url, { fetch: fetchImpl, onProgress, signal })).bytes;
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

/** A body being received, across attempts: one buffer when the length is known (no second copy of 100 MB). */
class Body {
  private out: Uint8Array;
  loaded = 0;

  constructor(
    private readonly url: string,
    private readonly total: number | null,
    private readonly onProgress?: (p: DownloadProgress) => void,
    private readonly hasher: IHasher | null = null,
  ) {
    this.out = new Uint8Array(total ?? 1 << 20);
    hasher?.init();
    onProgress?.({ loaded: 0, total });
  }

  private append(value: Uint8Array): void {
    if (this.loaded + value.byteLength > this.out.byteLength) {
      if (this.total != null) throw new Error(`download of '${this.url}' sent more than the ${this.total} bytes it announced`);
      const grown = new Uint8Array(Math.max(this.out.byteLength * 2, this.loaded + value.byteLength));
      grown.set(this.out.subarray(0, this.loaded));
      this.out = grown;
    }
    this.out.set(value, this.loaded);
    this.hasher?.update(value); // in order: a resumed body continues where the hash stopped
    this.loaded += value.byteLength;
    this.onProgress?.({ loaded: this.loaded, total: this.total });
  }

  /** Reads `res`'s body onto what arrived before; a dropped connection or a stall is {@link Retryable}. */
  async read(res: ResponseLike, guard: Guard): Promise<void> {
    if (!res.body) {
      this.append(new Uint8Array(await guard.race(res.arrayBuffer())));
      return;
    }
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await guard.race(reader.read());
        if (done) break;
        guard.arm();
        this.append(value);
      }
    } catch (e) {
      if ((e as Error).message.startsWith('download of') || e instanceof Retryable) throw e;
      throw new Retryable(`the connection dropped after ${this.loaded}${this.total != null ? ` of ${this.total}` : ''} bytes (${(e as Error).message})`);
    } finally {
      reader.cancel().catch(() => {});
    }
    if (this.total != null && this.loaded < this.total) throw new Retryable(`the body ended after ${this.loaded} of ${this.total} bytes (cut off)`);
  }

  /** The hex SHA-256 of the bytes received, if they were hashed. */
  digest(): string | null {
    return this.hasher ? this.hasher.digest('hex') : null;
  }

  /** The bytes received. */
  finish(): Uint8Array {
    if (this.total != null && this.loaded !== this.total) throw cutOff(this.url, this.loaded, this.total);
    return this.loaded === this.out.byteLength ? this.out : this.out.slice(0, this.loaded);
  }
}

function cutOff(url: string, loaded: number, total: number): Error {
  return new Error(`download of '${url}' was cut off: ${loaded} of ${total} bytes arrived`);
}
