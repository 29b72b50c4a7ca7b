/**
 * Turning a weight "source" (path, URL, or bytes) into bytes. Node file access
 * is imported lazily so that browser bundles that only pass bytes or http URLs
 * never pull in `node:fs`.
 */

/** Where weights come from: a file path, an http(s)/file URL, or the bytes themselves. */
export type WeightSource = string | URL | ArrayBuffer | Uint8Array;

/** A `fetch`-compatible function (injectable for tests and custom transports). */
export type FetchLike = (url: string) => Promise<{
  ok: boolean;
  status: number;
  statusText?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/** Options for {@link readSource}. */
export interface ReadSourceOptions {
  /** The fetch used for http(s) URLs (default: the global `fetch`). */
  fetch?: FetchLike;
}

function isHttp(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** Reads a local file, with a message that names the path on failure. */
export async function readLocalFile(path: string): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw new Error(`cannot read weights file '${path}': ${(e as Error).message}`);
  }
}

/** Downloads a URL, turning network failures into an error that says "no network?". */
export async function fetchBytes(url: string, fetchImpl?: FetchLike): Promise<Uint8Array> {
  const f = fetchImpl ?? (globalThis.fetch as unknown as FetchLike | undefined);
  if (!f) throw new Error(`cannot download '${url}': no fetch() available; pass the bytes or a file path instead`);
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await f(url);
  } catch (e) {
    const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new Error(
      `cannot download '${url}' (${cause}); is the network reachable? ` +
        'Download the file by other means and pass its path or bytes instead.',
    );
  }
  if (!res.ok) {
    throw new Error(`cannot download '${url}': HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

/** Resolves any {@link WeightSource} to its bytes. */
export async function readSource(source: WeightSource, opts: ReadSourceOptions = {}): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (source instanceof URL) {
    if (source.protocol === 'file:') {
      const { fileURLToPath } = await import('node:url');
      return readLocalFile(fileURLToPath(source));
    }
    return fetchBytes(source.href, opts.fetch);
  }
  if (typeof source === 'string') {
    if (isHttp(source)) return fetchBytes(source, opts.fetch);
    if (source.startsWith('file://')) return readSource(new URL(source), opts);
    return readLocalFile(source);
  }
  throw new Error(
    `unsupported weight source of type ${Object.prototype.toString.call(source)}; ` +
      'pass a file path, a URL, an ArrayBuffer or a Uint8Array',
  );
}
