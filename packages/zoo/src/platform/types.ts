/**
 * What the zoo needs from its host that differs between Node and browsers.
 * `#platform` (package.json `imports`) resolves to `./node.ts` under the `node`
 * condition and to `./browser.ts` everywhere else, so browser bundles never see
 * a Node built-in. Only types are imported from here, so both implementations
 * stay leaf modules without shared runtime code.
 */
import type { WeightCache } from './cache.js';
import type { PixelData } from '../spec/image.js';
import type h5wasm from 'h5wasm';

/** Where a string or URL given as a source points on this host: a local file, or a URL to fetch. */
type Located = { path: string; url?: undefined } | { url: string; path?: undefined };

/** The h5wasm module, ready (`await h5wasm.ready` done); `FS` is its in-memory file system. */
export interface H5Module {
  h5: typeof h5wasm;
  FS: Awaited<(typeof h5wasm)['ready']>['FS'];
}

/** Work on the h5wasm module; sent as source text to a worker, so it must be self-contained (no imports or outer names). */
export type Hdf5Task<T> = (m: H5Module, bytes: Uint8Array) => T;

/** Loads h5wasm where the task runs on the calling thread (`() => import('h5wasm')`, written by the Keras entry so that only apps importing it bundle h5wasm). */
export type Hdf5Loader = () => Promise<{ default: typeof h5wasm }>;

/** The host services of the zoo. */
export interface ZooPlatform {
  /** `'node'` or `'browser'` (any non-Node host). */
  readonly name: 'node' | 'browser';
  /** Reads a local file; the error names it as `what` (default `'weights file'`) and its path. Node only. */
  readFile(path: string, what?: string): Promise<Uint8Array>;
  /** True when `path` is a directory. Node only. */
  isDirectory(path: string): Promise<boolean>;
  /** Path of a `file:` URL. Node only. */
  fileURLToPath(url: string | URL): string;
  /**
   * Where a source given as a string or URL points. Node: `http(s):` URLs are
   * fetched, `file:` URLs and every other string are paths. Browsers: strings
   * are URLs, relative ones resolved against the page (`location.href`);
   * `file:` is refused.
   */
  locate(ref: string | URL): Located;
  /**
   * Decodes an encoded image (JPEG, PNG, WebP, …) into its pixels (gray,
   * RGB or RGBA, colour profiles ignored as PIL ignores them): `sharp` in
   * Node (an optional peer dependency), `createImageBitmap` in browsers.
   * Errors name the image as `what`.
   */
  decodeImage(bytes: Uint8Array, what: string): Promise<PixelData>;
  /** `path.join` / `path.dirname` of the host. */
  joinPath(...parts: string[]): string;
  /** The folder part of a path. */
  dirname(path: string): string;
  /**
   * The default weight cache: a folder in Node (`$RESNET_ZOO_CACHE` or
   * `~/.cache/resnet-zoo`), the Cache API in browsers, or null where neither exists.
   */
  defaultCache(): WeightCache | null;
  /** A weight cache in the folder `dir` (Node only). */
  folderCache(dir: string): WeightCache;
  /** True when the environment asks for offline mode (`RESNET_ZOO_OFFLINE=1` in Node). */
  offlineByDefault(): boolean;
  /**
   * Runs `task` on the h5wasm module (ready) and `bytes`. In Node it runs on
   * a worker thread, ended after `limitMs` (the promise then rejects with
   * `new Error(timeoutMessage)`): the HDF5 C library can loop forever on a
   * corrupt file, and only another thread can stop it. Elsewhere it runs on
   * the calling thread, without a limit, on the module `load` gives (Node's
   * worker finds h5wasm itself).
   */
  runHdf5<T>(task: Hdf5Task<T>, bytes: Uint8Array, limitMs: number, timeoutMessage: string, load: Hdf5Loader): Promise<T>;
}
