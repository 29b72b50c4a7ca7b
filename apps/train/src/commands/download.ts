/**
 * `resnet-train download <tag>`: fetches pretrained weights into the cache (as
 * `huggingface-cli download` does), with a progress bar, and says where they
 * are and how they were checked. Later runs, also offline, load them from there.
 */
import { downloadPretrained, type DownloadOptions } from '@resnet/zoo';
import { downloadBar } from '../output/download-bar.js';

/** Flags of the download command. */
export type DownloadFlags = Pick<DownloadOptions, 'cacheDir' | 'offline' | 'force' | 'revision' | 'requireVerified'>;

/** Downloads (or finds in the cache) weights `tag`; returns the lines to print. */
export async function runDownload(tag: string, flags: DownloadFlags, stream?: NodeJS.WritableStream & { isTTY?: boolean }): Promise<string[]> {
  const bar = downloadBar(tag, stream);
  try {
    const r = await downloadPretrained(tag, { ...flags, onProgress: bar.onProgress });
    return [
      `${tag}: ${(r.bytes.byteLength / 2 ** 20).toFixed(1)} MiB ${r.cached ? 'already in the cache' : `downloaded from ${r.url}`}`,
      `  cached at ${r.path ?? '(not cached)'}`,
      `  ${r.verified ? `verified: ${r.checks.join(', ')}` : 'NOT verified: no hash is known for this file'}${r.commit ? `; Hub commit ${r.commit}` : ''}`,
    ];
  } finally {
    bar.stop();
  }
}
