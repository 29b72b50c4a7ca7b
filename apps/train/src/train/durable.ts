/**
 * Writes that survive a crash or a power cut: data flushed to the disk before
 * the call returns, and folders flushed after entries are created, renamed or
 * removed (a rename is durable only once its folder is synced).
 */
// The default import (not named imports) so tests can watch fsyncSync.
import fs from 'node:fs';

/** Writes `data` to `path` (replacing it) and flushes it to the disk. */
export function writeFileDurable(path: string, data: string | Uint8Array): void {
  const fd = fs.openSync(path, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes the entries of folder `dir` to the disk. */
export function fsyncDir(dir: string): void {
  // Windows cannot open a folder for syncing; NTFS journals renames itself.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    // Some filesystems (certain network and FUSE mounts) refuse to sync folders; their files are still synced.
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
  } finally {
    fs.closeSync(fd);
  }
}
