/**
 * The weight cache contract. A cache is keyed by the download URL, which holds
 * the revision for Hub files (`…/resolve/<revision>/…`), so two revisions of a
 * file never share an entry. Beside the bytes each entry keeps what was learnt
 * when it was downloaded (the server's SHA-256, the Hub commit), so every later
 * load re-checks the cached bytes against it.
 */

/** What is stored beside a cached file. */
export interface CacheMeta {
  /** The URL the file was downloaded from (the cache key). */
  url: string;
  /** Size in bytes. */
  size: number;
  /** SHA-256 the server announced (Hub `X-Linked-Etag`), or null. */
  sha256: string | null;
  /** Hub commit the file came from (`X-Repo-Commit`), or null. */
  commit: string | null;
  /** ISO time of the download. */
  savedAt: string;
  /**
   * The verified mark: the hashes computed when the file was checked before
   * caching. A later load compares the expected hashes with these instead of
   * hashing the bytes again (unless `verifyCached`).
   */
  verified?: { sha256?: string; md5?: string };
}

/** One cached file. */
export interface CachedFile {
  /** The file's bytes. */
  bytes: Uint8Array;
  /** Its metadata; null for a file put there by hand. */
  meta: CacheMeta | null;
}

/** A place to keep downloaded weights between runs (a folder, the browser's Cache API, your own). */
export interface WeightCache {
  /** Where the entry for `url` lives, in words a user can act on (a file path, a Cache API name). */
  where(url: string): string;
  /** The cached file for `url`, or undefined. */
  get(url: string): Promise<CachedFile | undefined>;
  /** Stores a complete, checked file; never leaves a partial entry behind. */
  put(url: string, bytes: Uint8Array, meta: CacheMeta): Promise<void>;
  /** Removes the entry for `url` (no error when absent). */
  delete(url: string): Promise<void>;
}
