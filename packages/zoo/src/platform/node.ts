/**
 * The zoo's Node host (selected by the `node` condition of `#platform`): files,
 * a cache folder, image decoding with sharp (./node-image.ts), and h5wasm on a
 * worker thread (./node-hdf5.ts). The only modules of the package that import
 * Node built-ins.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CacheMeta, WeightCache } from './cache.js';
import { runHdf5 } from './node-hdf5.js';
import { decodeImageBytes } from './node-image.js';
import type { ZooPlatform } from './types.js';

async function readBytes(path: string): Promise<Uint8Array> {
  const buf = await readFile(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Writes through a temp file unique to this call, then renames: readers never see a partial file. */
async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}-${randomUUID()}.partial`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * The relative file path a URL is cached under: host, then the URL's path
 * segments (`huggingface.co/timm/resnet50.tv2_in1k/resolve/main/model.safetensors`).
 * Segments are percent-decoded and anything that is not a plain file-name
 * character is replaced, so a URL can never name a path outside the cache.
 */
function cachePathOf(url: string): string[] {
  const u = new URL(url);
  const clean = (s: string) => {
    const t = s.replace(/[^A-Za-z0-9._=+-]/g, '_');
    return t === '.' || t === '..' || t === '' ? '_' : t;
  };
  const segments = u.pathname.split('/').filter((s) => s !== '').map((s) => clean(safeDecode(s)));
  if (u.search) segments[segments.length - 1] += `_${clean(u.search.slice(1))}`;
  return [clean(u.host), ...(segments.length ? segments : ['index'])];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function folderCache(dir: string): WeightCache {
  const fileOf = (url: string) => join(dir, ...cachePathOf(url));
  return {
    where: fileOf,
    async get(url) {
      const file = fileOf(url);
      let bytes: Uint8Array;
      try {
        bytes = await readBytes(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`cannot read cached weights '${file}': ${(e as Error).message}`);
      }
      let meta: CacheMeta | null = null;
      try {
        meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as CacheMeta;
      } catch {
        // A file put there by hand has no metadata: it is checked against the table's hashes only.
      }
      return { bytes, meta };
    },
    async put(url, bytes, meta) {
      const file = fileOf(url);
      await mkdir(dirname(file), { recursive: true });
      await writeAtomic(`${file}.meta.json`, JSON.stringify(meta, null, 2));
      await writeAtomic(file, bytes);
    },
    async delete(url) {
      const file = fileOf(url);
      await rm(file, { force: true });
      await rm(`${file}.meta.json`, { force: true });
    },
  };
}

function defaultCacheDir(): string {
  return process.env.RESNET_ZOO_CACHE || join(homedir(), '.cache', 'resnet-zoo');
}

/** The Node implementation of {@link ZooPlatform}. */
export const platform: ZooPlatform = {
  name: 'node',
  async readFile(path, what = 'weights file') {
    try {
      return await readBytes(path);
    } catch (e) {
      throw new Error(`cannot read ${what} '${path}': ${(e as Error).message}`);
    }
  },
  async isDirectory(path) {
    return (await stat(path)).isDirectory();
  },
  fileURLToPath: (url) => fileURLToPath(url),
  locate(ref) {
    const href = ref instanceof URL ? ref.href : ref;
    if (/^https?:\/\//i.test(href)) return { url: href };
    if (/^file:/i.test(href)) return { path: fileURLToPath(href) };
    if (ref instanceof URL) throw new Error(`unsupported URL '${href}': pass an http(s): or file: URL, a path or the bytes`);
    return { path: ref };
  },
  decodeImage: decodeImageBytes,
  joinPath: (...parts) => join(...parts),
  dirname: (path) => dirname(path),
  defaultCache: () => folderCache(defaultCacheDir()),
  folderCache,
  offlineByDefault: () => /^(1|true|yes|on)$/i.test(process.env.RESNET_ZOO_OFFLINE ?? ''),
  runHdf5,
};
