/** Checking downloaded or cached bytes against every hash known for them. */
import { md5Hex, sha256Hex } from './digest.js';

/** The hashes a file is expected to have; null where unknown. */
export interface Expected {
  /** SHA-256 from the pretrained table. */
  sha256: string | null;
  /** MD5 from the pretrained table (Keras). */
  md5: string | null;
  /** SHA-256 the server announced (Hub `X-Linked-Etag`). */
  server: string | null;
  /** Size in bytes recorded when the file was cached. */
  size: number | null;
}

function mismatch(where: string, what: string, got: string, want: string): Error {
  return new Error(`hash mismatch for ${where}: ${what} ${got}, expected ${want} (corrupt, truncated or changed file)`);
}

/** Hashes of a file computed when it was verified, kept with its cache entry (the verified mark). */
export interface Digests {
  /** Hex SHA-256. */
  sha256?: string;
  /** Hex MD5. */
  md5?: string;
}

/**
 * Checks `bytes`; throws naming `where` on any mismatch, returns the checks
 * that passed (empty when nothing could be checked) and the digests computed.
 * A digest in `known` (a cache entry's verified mark) is used instead of
 * hashing the bytes again.
 */
export async function verifyBytes(bytes: Uint8Array, want: Expected, where: string, known: Digests = {}): Promise<{ checks: string[]; digests: Digests }> {
  if (want.size != null && bytes.byteLength !== want.size) {
    throw new Error(`size mismatch for ${where}: ${bytes.byteLength} bytes, expected ${want.size} (truncated or changed file)`);
  }
  const checks: string[] = [];
  const digests: Digests = {};
  if (want.sha256 || want.server) {
    const got = known.sha256 ?? (await sha256Hex(bytes));
    if (got !== null) {
      digests.sha256 = got;
      if (want.sha256) {
        if (got !== want.sha256.toLowerCase()) throw mismatch(where, 'sha256', got, want.sha256);
        checks.push('sha256 (table)');
      }
      if (want.server) {
        if (got !== want.server.toLowerCase()) throw mismatch(where, 'sha256', got, `${want.server} (announced by the server)`);
        checks.push('sha256 (server)');
      }
    }
  }
  if (want.md5) {
    const got = known.md5 ?? (await md5Hex(bytes));
    digests.md5 = got;
    if (got !== want.md5.toLowerCase()) throw mismatch(where, 'md5', got, want.md5);
    checks.push('md5 (table)');
  }
  return { checks, digests };
}
