/**
 * Validation of a tfjs model.json's weights manifest before any shard is read:
 * every shard path must stay in the model's folder (and origin), and every
 * weight entry must have a name, a supported dtype and a shape of non-negative
 * integers, so a hostile or corrupt file gets an error that says what is wrong
 * instead of reading `/etc/hostname` or allocating what the file claims.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** The parts of model.json the loader reads. */
export interface ModelJson {
  modelTopology?: unknown;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

const DTYPES = new Set(['float32', 'int32', 'bool']);
const QUANTIZED: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

function invalid(where: string, msg: string): never {
  throw new Error(`invalid tfjs model.json '${where}': ${msg}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Refuses a shard path that could leave the model's folder: URLs (any scheme),
 * absolute paths (`/x`, `\x`, `C:`), `..` segments (also percent-encoded, which
 * URL resolution would honour) and NUL bytes.
 */
function checkShardPath(path: unknown, where: string): string {
  if (typeof path !== 'string' || path === '') invalid(where, `weight file path ${JSON.stringify(path)} is not a file name`);
  const d = safeDecode(path);
  const escapes = /^[a-z][a-z0-9+.-]*:/i.test(d) || /^[\\/]/.test(d) || d.split(/[\\/]/).includes('..') || d.includes('\0');
  if (escapes) {
    invalid(where, `weight file path '${path}' leaves the model's folder; manifest paths must be relative file names (no URLs, absolute paths or '..')`);
  }
  return path;
}

/** The URL of shard `path` next to `jsonUrl`, refused unless it stays in the same origin and folder. */
export function shardUrl(path: string, jsonUrl: string): string {
  const base = new URL(jsonUrl);
  const u = new URL(checkShardPath(path, jsonUrl), base);
  const folder = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1);
  if (u.origin !== base.origin || !u.pathname.startsWith(folder)) {
    invalid(jsonUrl, `weight file path '${path}' resolves to ${u.href}, outside ${base.origin}${folder}`);
  }
  return u.href;
}

/** Bytes of one manifest entry's data. */
export function byteSize(spec: tf.io.WeightsManifestEntry): number {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const q = spec.quantization?.dtype;
  return n * (q ? QUANTIZED[q]! : spec.dtype === 'bool' ? 1 : 4);
}

function checkEntry(w: unknown, where: string): void {
  if (!w || typeof w !== 'object') invalid(where, `weights entry ${JSON.stringify(w)} is not an object`);
  const { name, shape, dtype, quantization } = w as Record<string, unknown>;
  if (typeof name !== 'string') invalid(where, `weights entry without a string name (${JSON.stringify(name)})`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    invalid(where, `weight '${name}' has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
  }
  if (typeof dtype !== 'string' || !DTYPES.has(dtype)) invalid(where, `weight '${name}' has dtype ${JSON.stringify(dtype)}; supported: ${[...DTYPES].join(', ')}`);
  if (quantization !== undefined) {
    const q = quantization as Record<string, unknown> | null;
    if (!q || typeof q.dtype !== 'string' || !(q.dtype in QUANTIZED)) {
      invalid(where, `weight '${name}' has quantization ${JSON.stringify(quantization)}; supported dtypes: ${Object.keys(QUANTIZED).join(', ')}`);
    }
    if (q.dtype !== 'float16' && !(typeof q.scale === 'number' && typeof q.min === 'number')) {
      invalid(where, `weight '${name}' is ${q.dtype}-quantized without numeric scale and min`);
    }
  }
  if (!Number.isSafeInteger(byteSize(w as tf.io.WeightsManifestEntry))) invalid(where, `weight '${name}' of shape [${shape.join(', ')}] is too large`);
}

/** Validates weight entries (from model.json or any IOHandler) before their data is read. */
export function checkWeightSpecs(specs: unknown, where: string): asserts specs is tf.io.WeightsManifestEntry[] {
  if (!Array.isArray(specs)) invalid(where, 'weightSpecs is not an array');
  specs.forEach((w) => checkEntry(w, where));
  const names = new Set<string>();
  for (const { name } of specs as tf.io.WeightsManifestEntry[]) {
    if (names.has(name)) invalid(where, `weight '${name}' is listed twice`);
    names.add(name);
  }
}

/** Parses and validates model.json bytes (see the module comment). */
export function parseModelJson(bytes: Uint8Array, where: string): ModelJson {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    invalid(where, `not JSON (${(e as Error).message})`);
  }
  const m = json as Partial<ModelJson> | null;
  if (!m || typeof m !== 'object' || !Array.isArray(m.weightsManifest)) {
    invalid(where, 'no weightsManifest array (is it a tfjs LayersModel model.json?)');
  }
  for (const g of m.weightsManifest) {
    if (!g || typeof g !== 'object' || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      invalid(where, 'every weightsManifest group needs a paths array and a weights array');
    }
    g.paths.forEach((p) => checkShardPath(p, where));
  }
  checkWeightSpecs(m.weightsManifest.flatMap((g) => g.weights), where);
  return m as ModelJson;
}
