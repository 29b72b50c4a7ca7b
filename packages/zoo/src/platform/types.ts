/**
 * What the zoo needs from its host that differs between Node and browsers.
 * `#platform` (package.json `imports`) resolves to `./node.ts` under the `node`
 * condition and to `./browser.ts` everywhere else, so browser bundles never see
 * a Node built-in. Only types are imported from here, so both implementations
 * stay leaf modules without shared runtime code.
 */
import type { WeightCache } from '../pretrained/cache.js';

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
}
