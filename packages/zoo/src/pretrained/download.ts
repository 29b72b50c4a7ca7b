/**
 * Downloading pretrained weights into a cache folder and checking their hash.
 * Node keeps a cache (default `$RESNET_ZOO_CACHE` or `~/.cache/resnet-zoo`);
 * elsewhere the file is fetched each time (the browser's HTTP cache applies).
 */
import { fetchBytes, type FetchLike } from '../weights/source.js';
import { getPretrained, type PretrainedEntry } from './table.js';

/** Options of {@link downloadPretrained}. */
export interface DownloadOptions {
  /** Cache folder (Node only). */
  cacheDir?: string;
  /** fetch used for the download (default: global fetch). */
  fetch?: FetchLike;
  /** Ignore a cached copy. */
  force?: boolean;
}

/** What {@link downloadPretrained} returns. */
export interface DownloadResult {
  /** The file's bytes. */
  bytes: Uint8Array;
  /** The table entry. */
  entry: PretrainedEntry;
  /** True when a published hash was checked and matched; false when none is known. */
  verified: boolean;
  /** Where the file is cached (Node), if anywhere. */
  path?: string;
  /** True when the bytes came from the cache. */
  cached: boolean;
}

const isNode = () => typeof process !== 'undefined' && !!process.versions?.node;

async function digest(bytes: Uint8Array, algo: 'sha256' | 'md5'): Promise<string> {
  if (isNode()) {
    const { createHash } = await import('node:crypto');
    return createHash(algo).update(bytes).digest('hex');
  }
  if (algo === 'md5') throw new Error('MD5 verification needs Node (WebCrypto has no MD5)');
  const buf = await crypto.subtle.digest('SHA-256', bytes as unknown as ArrayBuffer);
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Checks `bytes` against the entry's hashes; throws on a mismatch, returns false when none is known. */
export async function verifyPretrained(bytes: Uint8Array, entry: PretrainedEntry, where: string): Promise<boolean> {
  if (entry.sha256) {
    const got = await digest(bytes, 'sha256');
    if (got !== entry.sha256.toLowerCase()) {
      throw new Error(`hash mismatch for ${where}: sha256 ${got}, expected ${entry.sha256} (corrupt or changed file; delete it and retry)`);
    }
    return true;
  }
  if (entry.md5 && isNode()) {
    const got = await digest(bytes, 'md5');
    if (got !== entry.md5.toLowerCase()) {
      throw new Error(`hash mismatch for ${where}: md5 ${got}, expected ${entry.md5} (corrupt or changed file; delete it and retry)`);
    }
    return true;
  }
  return false;
}

async function defaultCacheDir(): Promise<string> {
  const { homedir } = await import('node:os');
  const { join } = await import('node:path');
  return process.env.RESNET_ZOO_CACHE || join(homedir(), '.cache', 'resnet-zoo');
}

/**
 * Returns the bytes of pretrained weights `tag`, from the cache when present and
 * valid, else downloaded (and then cached). Without a network the error says so
 * and names the URL and the cache path where a manually downloaded file can go.
 */
export async function downloadPretrained(tag: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const entry = getPretrained(tag);
  if (!isNode()) {
    const bytes = await fetchBytes(entry.url, opts.fetch);
    return { bytes, entry, verified: await verifyPretrained(bytes, entry, entry.url), cached: false };
  }
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  const dir = join(opts.cacheDir ?? (await defaultCacheDir()), tag);
  const file = join(dir, entry.url.slice(entry.url.lastIndexOf('/') + 1));
  if (!opts.force) {
    const cached = await fs.readFile(file).catch(() => undefined);
    if (cached) {
      const bytes = new Uint8Array(cached.buffer, cached.byteOffset, cached.byteLength);
      return { bytes, entry, verified: await verifyPretrained(bytes, entry, file), path: file, cached: true };
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = await fetchBytes(entry.url, opts.fetch);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n  (or put the file at ${file} and call again: the cache is used first)`);
  }
  const verified = await verifyPretrained(bytes, entry, entry.url);
  await fs.mkdir(dir, { recursive: true });
  // Write then rename, so an interrupted download never leaves a partial file in the cache.
  const tmp = `${file}.${process.pid}.partial`;
  await fs.writeFile(tmp, bytes);
  await fs.rename(tmp, file);
  return { bytes, entry, verified, path: file, cached: false };
}
