/**
 * Pretrained weights by tag: from the cache when a valid copy is there, else
 * downloaded, checked and cached. Caches: a folder in Node
 * (`$RESNET_ZOO_CACHE` or `~/.cache/resnet-zoo`), the Cache API in browsers.
 * Every load (cached or not) re-checks the bytes against every hash known: the
 * table's SHA-256 / MD5 and the SHA-256 the Hub announced when the file was
 * downloaded (stored beside it).
 */
import { platform } from '#platform';
import type { FetchLike } from '../net/fetch.js';
import { withRevision } from '../net/hub.js';
import type { WeightCache } from '../platform/cache.js';
import { transfer, type DownloadProgress } from '../net/transfer.js';
import { resolvePretrained, type PretrainedConfig } from './config.js';
import type { PretrainedEntry } from './table.js';
import { checkWeightFile, weightFile, type WeightFile } from './variants.js';
import { verifyBytes, type Expected } from './verify.js';
import { hasWebCryptoSha256 } from './digest.js';
import type { WeightDtype } from '../spec/weights.js';

/** Options of {@link downloadPretrained}. */
export interface DownloadOptions {
  /** Where to cache: a {@link WeightCache}, or false for none. Default: the platform's cache. */
  cache?: WeightCache | false;
  /** Node: cache in this folder instead of the default one. */
  cacheDir?: string;
  /** fetch used for the download (default: global fetch). */
  fetch?: FetchLike;
  /** Download again even when a cached copy is there. */
  force?: boolean;
  /** Never touch the network: use the cache or fail at once naming where the file should be. Default `RESNET_ZOO_OFFLINE=1` (Node). */
  offline?: boolean;
  /** Hub revision (commit, tag or branch) to fetch instead of the table's. */
  revision?: string;
  /** Called as the download advances (not for cached files). */
  onProgress?: (p: DownloadProgress) => void;
  /** Refuse weights that no hash could check (default false: they load, with a warning once per URL). */
  requireVerified?: boolean;
  /** Receives warnings (default `console.warn`). */
  onWarning?: (message: string) => void;
  /** Which file of the tag: `'fp32'` (default, the entry's `source.url`), or its `'fp16'` / `'q8'` variant (`source.variants`). */
  dtype?: WeightDtype;
  /** Status events as transformers.js reports them: initiate, cached (a cache hit), download, progress, retry, done. */
  onStatus?: (e: DownloadEvent) => void;
  /** Aborts this call (the shared download stops when no caller waits for it); the error's name is `'AbortError'`. */
  signal?: AbortSignal;
  /** A download that receives no byte for this long (ms) fails, naming the URL and the timeout (after retries). Default 30 000. */
  stallTimeoutMs?: number;
  /**
   * Hash a cached file again on every load. Default false: a file checked when it was
   * cached keeps the hashes computed then (its verified mark), and a cached load compares
   * those instead of hashing 100 MB again, as huggingface_hub and transformers.js trust
   * their caches; the recorded size and (for variants) the file's structure are still checked.
   */
  verifyCached?: boolean;
  /** Retries of a stalled or dropped download (resumed with an HTTP Range where the server allows) and of HTTP 408 / 429 / 5xx. Default 3. */
  retries?: number;
}

/** One status event of {@link downloadPretrained} (`onStatus`), named as transformers.js names its progress events. */
export type DownloadEvent =
  | { status: 'initiate'; tag: string; url: string; dtype: WeightDtype }
  | { status: 'cached'; tag: string; url: string; size: number; path?: string }
  | { status: 'download'; tag: string; url: string }
  | { status: 'progress'; tag: string; url: string; loaded: number; total: number | null; progress: number | null }
  | { status: 'retry'; tag: string; url: string; attempt: number; reason: string; resumeFrom: number }
  | { status: 'done'; tag: string; url: string; size: number; cached: boolean };

/** What {@link downloadPretrained} returns. */
export interface DownloadResult {
  /** The file's bytes. */
  bytes: Uint8Array;
  /** The table entry. */
  entry: PretrainedEntry;
  /** The URL the bytes came from (revision applied); for a local file, the entry's `source.url` as given. */
  url: string;
  /** True when at least one hash was checked and matched. */
  verified: boolean;
  /** The checks that passed, e.g. `['sha256 (Hub X-Linked-Etag)']`. */
  checks: string[];
  /** Where the file is cached (a path in Node), if anywhere; for a local file, its path. */
  path?: string;
  /** True when the bytes came from the cache. */
  cached: boolean;
  /** Hub commit the file came from, when the Hub said. */
  commit: string | null;
  /** The dtype of the file (checked against its contents for fp16 / q8). */
  dtype: WeightDtype;
}

/** What one fetch or cache read gives every caller that shares it; `unverified` says why nothing could be checked. */
type Shared = Omit<DownloadResult, 'entry' | 'verified' | 'dtype'> & { unverified: string };

type Job = { promise: Promise<Shared>; listeners: Set<(e: DownloadEvent) => void>; waiting: number; abort: AbortController };
const inflight = new Map<string, Job>();
const warned = new Set<string>();

function chooseCache(opts: DownloadOptions): WeightCache | null {
  if (opts.cache === false) return null;
  if (opts.cache) return opts.cache;
  return opts.cacheDir !== undefined ? platform.folderCache(opts.cacheDir) : platform.defaultCache();
}

/**
 * Returns the bytes of pretrained weights `tag` (a tag, a model name for its
 * default weights, or a config from `resolvePretrained`). Concurrent calls for one file
 * share one download. A cached file that fails its checks is deleted and
 * downloaded again once. Offline, a missing file fails at once and the message
 * names the cache path where a manually downloaded file can go.
 *
 * @example
 * ```ts
 * const { bytes, path, verified } = await downloadPretrained('resnet18.tv_in1k', {
 *   onProgress: ({ loaded, total }) => console.log(`${loaded} of ${total ?? '?'} bytes`),
 * });
 * console.log(`${bytes.byteLength} bytes, cached at ${path}, verified: ${verified}`);
 * ```
 */
export async function downloadPretrained(weights: string | PretrainedConfig, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const { tag, entry } = typeof weights === 'string' ? resolvePretrained(weights) : weights;
  const file = weightFile(tag, entry, opts.dtype);
  const located = platform.locate(file.url);
  if (located.path !== undefined) return readLocal(tag, entry, file, located.path, opts);
  const url = withRevision(located.url, opts.revision ?? file.revision);
  const cache = chooseCache(opts);
  const key = `${cache?.where(url) ?? '-'}\n${url}\n${opts.force ? 'force' : ''}`;
  const emit = (e: DownloadEvent) => {
    opts.onStatus?.(e);
    if (e.status === 'progress') opts.onProgress?.({ loaded: e.loaded, total: e.total });
  };
  emit({ status: 'initiate', tag, url, dtype: file.dtype });
  if (opts.signal?.aborted) throw abortError(tag, url, opts.signal);
  let job = inflight.get(key);
  if (!job) {
    const listeners = new Set<(e: DownloadEvent) => void>();
    const abort = new AbortController();
    const promise = fetchOrCache(tag, file, url, cache, opts, (e) => listeners.forEach((l) => l(e)), abort.signal).finally(() => inflight.delete(key));
    promise.catch(() => {});
    job = { promise, listeners, waiting: 0, abort };
    inflight.set(key, job);
  }
  const mine = job;
  mine.listeners.add(emit);
  mine.waiting++;
  let got: Shared;
  try {
    got = await untilAborted(mine.promise, opts.signal, () => abortError(tag, url, opts.signal));
  } finally {
    mine.listeners.delete(emit);
    // The last caller to give up stops the shared download.
    if (--mine.waiting === 0 && opts.signal?.aborted) mine.abort.abort();
  }
  const { unverified, ...shared } = got;
  emit({ status: 'done', tag, url, size: shared.bytes.byteLength, cached: shared.cached });
  const verified = shared.checks.length > 0;
  if (!verified) {
    const why = `weights '${tag}' (${url}) could not be verified: ${unverified}`;
    if (opts.requireVerified) throw new Error(`${why}; refused because requireVerified is set`);
    if (!warned.has(url)) {
      warned.add(url);
      (opts.onWarning ?? console.warn)(`@resnet/zoo: ${why}. Loading them anyway; pass requireVerified: true to refuse unverified files.`);
    }
  }
  return { ...shared, entry, verified, dtype: file.dtype };
}

async function fetchOrCache(
  tag: string,
  file: WeightFile,
  url: string,
  cache: WeightCache | null,
  opts: DownloadOptions,
  emit: (e: DownloadEvent) => void,
  signal: AbortSignal,
): Promise<Shared> {
  const where = cache?.where(url);
  const path = platform.name === 'node' ? where : undefined;
  const table: Pick<Expected, 'sha256' | 'md5'> = { sha256: file.sha256, md5: file.md5 };
  const noTableHash = 'the entry has no hash for them';
  if (cache && !opts.force) {
    const hit = await cache.get(url);
    if (hit) {
      try {
        const mark = opts.verifyCached ? {} : (hit.meta?.verified ?? {});
        const { checks } = await verifyBytes(hit.bytes, { ...table, server: hit.meta?.sha256 ?? null, size: hit.meta?.size ?? null }, where!, mark);
        checkWeightFile(hit.bytes, file, tag, `the cached file ${where}`);
        emit({ status: 'cached', tag, url, size: hit.bytes.byteLength, ...(path ? { path } : {}) });
        // No server is asked on a cache hit: say what the cached copy records instead.
        const unverified = hit.meta
          ? `${noTableHash}, and the server announced no SHA-256 when the cached copy (${where}) was downloaded; no server was asked now`
          : `${noTableHash}, and the cached copy (${where}) has no download record (put there by hand?); no server was asked`;
        return { bytes: hit.bytes, url, checks, path, cached: true, commit: hit.meta?.commit ?? null, unverified };
      } catch (e) {
        await cache.delete(url);
        (opts.onWarning ?? console.warn)(`@resnet/zoo: ${(e as Error).message}; deleted the cached file, ${opts.offline ? 'offline, so not downloading it again' : 'downloading it again'}`);
      }
    }
  }
  if (opts.offline ?? platform.offlineByDefault()) {
    throw new Error(
      `offline: weights '${tag}' are not in the cache${where ? ` (expected at ${where})` : ' (no cache here)'}; ` +
        `go online (offline: false${platform.name === 'node' ? ', unset RESNET_ZOO_OFFLINE' : ''}), put the file from ${url} there, ` +
        `or pass your copy: createModel('${tag}', { weights: <path, URL or bytes of your copy> })`,
    );
  }
  let got;
  try {
    emit({ status: 'download', tag, url });
    got = await transfer(url, {
      fetch: opts.fetch,
      signal,
      // Hashed as the bytes arrive only where WebCrypto is missing (an insecure page): hash-wasm's SHA-256 (~170 MB/s)
      // is slower than a fast connection, and in the read loop it held the download back (ResNet-50 in Chromium: the
      // fetch took 790–1000 ms instead of 370–440); WebCrypto hashes the whole file afterwards in ~0.15 s.
      sha256: !hasWebCryptoSha256(),
      ...(opts.stallTimeoutMs !== undefined ? { stallTimeoutMs: opts.stallTimeoutMs } : {}),
      ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
      onProgress: ({ loaded, total }) => emit({ status: 'progress', tag, url, loaded, total, progress: total ? (100 * loaded) / total : null }),
      onRetry: (r) => emit({ status: 'retry', tag, url, ...r }),
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    const byHand = `createModel('${tag}', { weights: <path, URL or bytes of your copy> })`;
    throw new Error(`${(e as Error).message}${where ? `\n  (or put the file at ${where} and call again: the cache is used first; or pass your copy: ${byHand})` : `\n  (or pass your copy: ${byHand})`}`);
  }
  // A SHA-256 computed as the bytes arrived (got.digest) is not computed again.
  const { checks, digests } = await verifyBytes(got.bytes, { ...table, server: got.sha256, size: null }, url, got.digest ? { sha256: got.digest } : {});
  // A corrupt, cut or wrong-variant file that no hash caught is refused here, before it reaches the cache.
  checkWeightFile(got.bytes, file, tag, url);
  if (cache) {
    const meta = { url, size: got.bytes.byteLength, sha256: got.sha256, commit: got.commit, savedAt: new Date().toISOString(), verified: digests };
    try {
      await cache.put(url, got.bytes, meta);
    } catch (e) {
      (opts.onWarning ?? console.warn)(`@resnet/zoo: could not cache '${url}' at ${where}: ${(e as Error).message}`);
    }
  }
  return { bytes: got.bytes, url, checks, path, cached: false, commit: got.commit, unverified: `${noTableHash} and the server announced no SHA-256` };
}

/**
 * An entry whose source is a local file (Node: a path or `file:` URL): read in
 * place, never cached, checked against the entry's hashes when it has any. A
 * file you name yourself is not warned about when it has none; with
 * `requireVerified` it is refused.
 */
async function readLocal(tag: string, entry: PretrainedEntry, file: WeightFile, path: string, opts: DownloadOptions): Promise<DownloadResult> {
  const bytes = await platform.readFile(path, `weights file of '${tag}'`);
  const { checks } = await verifyBytes(bytes, { sha256: file.sha256, md5: file.md5, server: null, size: null }, path);
  checkWeightFile(bytes, file, tag, path);
  if (!checks.length && opts.requireVerified) {
    throw new Error(`weights '${tag}' (${path}) could not be verified: the entry has no hash for them; refused because requireVerified is set (give the entry a source.sha256)`);
  }
  return { bytes, entry, url: file.url, verified: checks.length > 0, checks, path, cached: false, commit: null, dtype: file.dtype };
}

/**
 * Checks `bytes` against the entry's own hashes; throws on a mismatch, returns false when it has none.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const bytes = readFileSync('resnet50_weights_tf_dim_ordering_tf_kernels.h5'); // downloaded by hand
 * await verifyPretrained(bytes, getPretrained('resnet50.keras_in1k'), 'my copy'); // true: its MD5 matched (throws when not)
 * ```
 */
export async function verifyPretrained(bytes: Uint8Array, entry: PretrainedEntry, where: string): Promise<boolean> {
  return (await verifyBytes(bytes, { sha256: entry.source.sha256 ?? null, md5: entry.source.md5 ?? null, server: null, size: null }, where)).checks.length > 0;
}

function abortError(tag: string, url: string, signal?: AbortSignal): Error {
  const why = signal?.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return Object.assign(new Error(`download of weights '${tag}' (${url}) was aborted${why}`), { name: 'AbortError' });
}

/** `p`, or a rejection with `error()` as soon as `signal` aborts. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined, error: () => Error): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(error());
    signal.addEventListener('abort', stop, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}
