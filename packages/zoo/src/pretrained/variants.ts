/**
 * Which file a pretrained tag downloads for a weight dtype (`'fp32'`, the
 * entry's own `url`; `'fp16'` / `'q8'`, its `variants`), and the structural
 * check a file passes before it is cached or loaded, so a corrupt, truncated
 * or wrong-variant file is refused with the tag, the file and the valid
 * choices named, and never kept in a cache.
 */
import { parseSafetensors } from '../safetensors/read.js';
import { weightDtypeOf } from '../safetensors/quantize.js';
import { WEIGHT_DTYPES, type SingleFileFormat, type WeightDtype, type WeightVariant } from '../spec/weights.js';
import type { PretrainedEntry } from './table.js';

/** The file to fetch for one tag and dtype. */
export interface WeightFile {
  /** The dtype of the file. */
  dtype: WeightDtype;
  /** Download URL (before a revision is applied). */
  url: string;
  /** Hub commit to pin, null for none, undefined for the entry's. */
  revision?: string | null;
  /** Loader convention of the file. */
  format: SingleFileFormat;
  /** SHA-256 of the file, or null where unknown. */
  sha256: string | null;
  /** MD5 of the file (Keras), or null. */
  md5: string | null;
}

const quoted = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');

/** The dtypes `entry` can be downloaded in: `'fp32'` and the variants it lists. */
export function availableDtypes(entry: PretrainedEntry): WeightDtype[] {
  return WEIGHT_DTYPES.filter((d) => d === 'fp32' || entry.source.variants?.[d as Exclude<WeightDtype, 'fp32'>]);
}

/**
 * Throws unless `variants` is a well-formed `variants` field for an entry
 * of format `format` (safetensors only; keys `fp16` / `q8`; each with a URL).
 */
export function checkVariants(tag: string, format: SingleFileFormat, variants: PretrainedEntry['source']['variants']): void {
  if (variants === undefined) return;
  if (variants === null || typeof variants !== 'object') throw new Error(`registerPretrained('${tag}'): variants must be an object such as { fp16: { url, sha256 }, q8: { url, sha256 } }`);
  if (format === 'keras' && Object.keys(variants).length) {
    throw new Error(`registerPretrained('${tag}'): Keras HDF5 weights have no dtype variants; variants are fp16 / q8 safetensors (format 'torchvision' or 'timm')`);
  }
  for (const [k, v] of Object.entries(variants) as Array<[string, WeightVariant | undefined]>) {
    if (k !== 'fp16' && k !== 'q8') throw new Error(`registerPretrained('${tag}'): unknown variant '${k}'; variants: 'fp16', 'q8' (fp32 is the entry's own url)`);
    if (!v || typeof v.url !== 'string' || !v.url) throw new Error(`registerPretrained('${tag}'): variant '${k}' needs a url`);
    if (v.sha256 !== null && (typeof v.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(v.sha256))) {
      throw new Error(`registerPretrained('${tag}'): variant '${k}' sha256 must be 64 hex digits or null, got ${JSON.stringify(v.sha256)}`);
    }
  }
}

/**
 * The file of weights `tag` in `dtype` (default `'fp32'`). Throws naming the
 * tag and the dtypes it has for an unknown dtype, a variant the tag lacks, or
 * a dtype its format cannot hold (Keras HDF5 is fp32 only).
 */
export function weightFile(tag: string, entry: PretrainedEntry, dtype: WeightDtype = 'fp32'): WeightFile {
  const have = availableDtypes(entry);
  if (!WEIGHT_DTYPES.includes(dtype)) {
    throw new Error(`weights '${tag}': dtype must be one of ${quoted(WEIGHT_DTYPES)}; got ${JSON.stringify(dtype)} (this tag has ${quoted(have)})`);
  }
  const src = entry.source;
  const own: WeightFile = { dtype: 'fp32', url: src.url, revision: src.revision, format: src.format, sha256: src.sha256 ?? null, md5: src.md5 ?? null };
  if (dtype === 'fp32') return own;
  if (src.format === 'keras') {
    throw new Error(`weights '${tag}' are Keras HDF5, which this package loads in fp32 only; dtype '${dtype}' needs safetensors weights (format 'torchvision' or 'timm'). Use dtype 'fp32'`);
  }
  const v = src.variants?.[dtype];
  if (!v) {
    throw new Error(
      `weights '${tag}' have no '${dtype}' variant; this tag has ${quoted(have)}. ` +
        `Make one from the fp32 file with \`resnet-train convert --dtype ${dtype} IN OUT\`, host it, and register it: ` +
        `registerPretrained('<tag>', { ...entry, source: { ...entry.source, variants: { ${dtype}: { url, sha256 } } } })`,
    );
  }
  return { dtype, url: v.url, revision: v.revision ?? null, format: src.format, sha256: v.sha256, md5: null };
}

/**
 * Checks that `bytes` are a whole safetensors file of `file`'s variant dtype
 * (the header, every offset, and the dtype its tensors are stored in), before
 * they are cached or loaded. Throws naming the tag, `where` and what was
 * expected. fp32 files are left to the loader, as before variants existed.
 */
export function checkWeightFile(bytes: Uint8Array, file: WeightFile, tag: string, where: string): void {
  if (file.dtype === 'fp32') return;
  let got: WeightDtype;
  try {
    got = weightDtypeOf(parseSafetensors(bytes));
  } catch (e) {
    throw new Error(`weights '${tag}' (${file.dtype}): ${where}: ${(e as Error).message}`);
  }
  if (got !== file.dtype) {
    throw new Error(`weights '${tag}': ${where} holds ${got} weights, but the '${file.dtype}' file of the tag was asked for; the file at that URL is the wrong variant`);
  }
}
