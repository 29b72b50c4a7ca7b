/**
 * The zoo's host outside Node (the `default` condition of `#platform`):
 * browsers, workers, Deno and other runtimes with `fetch`. Local files do not
 * exist here; downloads are cached with the Cache API where it exists (secure
 * contexts: https and http://127.0.0.1 / localhost).
 */
import type { CacheMeta, WeightCache } from './cache.js';
import { decodeImageBytes } from './browser-image.js';
import type { ZooPlatform } from './types.js';

const CACHE_NAME = 'resnet-zoo';
const META_HEADER = 'x-resnet-zoo-meta';

function nodeOnly(what: string): never {
  throw new Error(`${what} needs Node (there are no local files here); pass a URL, an ArrayBuffer or a Uint8Array instead`);
}

/** A cache in the Cache API store 'resnet-zoo', one Response per URL, its metadata in a header. */
function cacheStorage(storage: CacheStorage): WeightCache {
  return {
    where: (url) => `the browser's Cache API store '${CACHE_NAME}', entry ${url}`,
    async get(url) {
      const res = await (await storage.open(CACHE_NAME)).match(url);
      if (!res) return undefined;
      let meta: CacheMeta | null = null;
      try {
        meta = JSON.parse(res.headers.get(META_HEADER) ?? 'null') as CacheMeta | null;
      } catch {
        meta = null;
      }
      return { bytes: new Uint8Array(await res.arrayBuffer()), meta };
    },
    async put(url, bytes, meta) {
      const headers = { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength), [META_HEADER]: JSON.stringify(meta) };
      // cache.put stores the whole body or nothing: an interrupted write leaves no entry. A Blob body: Chromium
      // copies it once and hands the copy to the browser process; a Response on the bytes themselves held two
      // more copies of them in the page at once (ResNet-50's 102 MB: the tab at 603–607 MB while writing, 503–514 now).
      await (await storage.open(CACHE_NAME)).put(url, new Response(new Blob([bytes as unknown as BlobPart]), { headers }));
    },
    async delete(url) {
      await (await storage.open(CACHE_NAME)).delete(url);
    },
  };
}

/** The browser implementation of {@link ZooPlatform}. */
export const platform: ZooPlatform = {
  name: 'browser',
  readFile: (path) => nodeOnly(`reading the file '${path}'`),
  isDirectory: (path) => nodeOnly(`reading the folder '${path}'`),
  fileURLToPath: (url) => nodeOnly(`the file URL '${String(url)}'`),
  locate(ref) {
    let url: URL;
    try {
      url = ref instanceof URL ? ref : new URL(ref, globalThis.location?.href);
    } catch {
      throw new Error(`'${String(ref)}' is not a URL, and a relative one needs a page to resolve against; pass an absolute URL, an ArrayBuffer or a Uint8Array`);
    }
    if (url.protocol === 'file:') nodeOnly(`the file URL '${url.href}'`);
    return { url: url.href };
  },
  decodeImage: decodeImageBytes,
  joinPath: (...parts) => parts.join('/'),
  dirname: (path) => path.slice(0, Math.max(0, path.lastIndexOf('/'))),
  defaultCache: () => (typeof caches !== 'undefined' ? cacheStorage(caches) : null),
  folderCache: (dir) => nodeOnly(`a cache folder ('${dir}')`),
  offlineByDefault: () => false,
  // A Web Worker would need a separate script that every bundler emits; the
  // HDF5 work runs here, on the calling thread. `load` comes from the Keras
  // entry (@resnet/zoo/keras): h5wasm (5.6 MB) is emitted only for apps that import it.
  async runHdf5(task, bytes, _limitMs, _timeoutMessage, load) {
    const h5 = (await load()).default;
    const { FS } = await h5.ready;
    return task({ h5, FS }, bytes);
  },
};
