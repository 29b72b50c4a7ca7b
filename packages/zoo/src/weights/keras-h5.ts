/**
 * The HDF5 half of the Keras loader: every call into h5wasm happens in
 * {@link readKerasH5}, which the platform runs where a hang can be stopped (a
 * worker thread in Node). A corrupt file can send the HDF5 C library into an
 * endless loop that no JavaScript check can interrupt (a mutated global heap
 * made `H5Aread` of `layer_names` spin forever).
 *
 * The function is sent to the worker as source text, so it must be
 * self-contained: no imports, no names from this module, nothing but its
 * arguments and globals.
 */
import type { H5Module } from '../platform/types.js';

/** One weight of the file: `<layer>/<short weight name>` (no `:0`), its shape and values. */
interface KerasH5Weight {
  key: string;
  shape: number[];
  data: Float32Array;
}

/**
 * Reads every weight listed in the file's `layer_names` / `weight_names`.
 * Throws `invalid Keras weights: …` naming what is wrong. Sizes are checked
 * against the file size before anything is read: the HDF5 library allocates
 * what a header declares before finding the data missing, and Keras weight
 * files are stored uncompressed, so honest data never declares more bytes than
 * the file holds.
 */
export function readKerasH5({ h5, FS }: H5Module, bytes: Uint8Array): KerasH5Weight[] {
  const NUMERIC_CLASSES = [0, 1]; // H5T_INTEGER, H5T_FLOAT
  const fail = (what: string): never => {
    throw new Error(`invalid Keras weights: ${what}`);
  };
  const checkSize = (what: string, meta: { total_size: number; size: number; shape: number[] | null }) => {
    const declared = meta.total_size * meta.size;
    if (!Number.isSafeInteger(declared) || declared > bytes.byteLength) {
      fail(
        `${what} declares shape [${(meta.shape ?? []).join(', ')}] of ${meta.size}-byte elements ` +
          `(${declared} bytes) but the file is ${bytes.byteLength} bytes; corrupt or hostile file`,
      );
    }
  };
  const strings = (obj: { attrs: Record<string, { metadata: never; value: unknown } | undefined> }, name: string) => {
    const attr = obj.attrs[name];
    if (!attr) return [];
    checkSize(`attribute '${name}'`, attr.metadata);
    const v = attr.value;
    if (v == null) return [];
    if (typeof v === 'string') return [v];
    return Array.from(v as ArrayLike<unknown>, (x) => (typeof x === 'string' ? x : new TextDecoder().decode(x as Uint8Array)));
  };
  const path = `/resnet-zoo-${Date.now()}-${Math.random().toString(36).slice(2)}.h5`;
  FS.writeFile(path, bytes);
  try {
    let file: InstanceType<typeof h5.File> | undefined;
    try {
      try {
        file = new h5.File(path, 'r');
      } catch (e) {
        throw new Error(`invalid Keras weights: HDF5 file cannot be opened (${(e as Error).message ?? e}); truncated?`, { cause: e });
      }
      const f = file!;
      const root = (f.keys().includes('model_weights') ? f.get('model_weights') : f) as typeof f;
      const layerNames = strings(root as never, 'layer_names');
      if (!layerNames.length) fail("the root has no 'layer_names' attribute (not a Keras weights file)");
      const weights: KerasH5Weight[] = [];
      for (const lname of layerNames) {
        const group = root.get(lname);
        if (!group || !(group instanceof h5.Group)) fail(`layer '${lname}' is listed in layer_names but has no group`);
        const g = group as InstanceType<typeof h5.Group>;
        for (const wname of strings(g as never, 'weight_names')) {
          const ds = g.get(wname);
          if (!ds || !(ds instanceof h5.Dataset) || !ds.shape) fail(`weight '${lname}/${wname}' is listed but missing`);
          const d = ds as InstanceType<typeof h5.Dataset>;
          const meta = d.metadata;
          if (!NUMERIC_CLASSES.includes(meta.type) || meta.vlen) fail(`weight '${lname}/${wname}' is not numeric (HDF5 type class ${meta.type})`);
          checkSize(`weight '${lname}/${wname}'`, meta);
          const last = wname.slice(wname.lastIndexOf('/') + 1);
          const short = last.endsWith(':0') ? last.slice(0, -2) : last;
          // Number(): 64-bit integer weights arrive as bigints.
          weights.push({ key: `${lname}/${short}`, shape: d.shape!, data: Float32Array.from(d.value as ArrayLike<number>, Number) });
        }
      }
      return weights;
    } finally {
      file?.close();
    }
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    // `cause` keeps a WebAssembly trap visible: the library's state is suspect after one.
    if (msg.startsWith('invalid Keras weights')) throw e;
    throw new Error(`invalid Keras weights: cannot read the HDF5 structure (${msg}); truncated or corrupt file?`, { cause: e });
  } finally {
    FS.unlink(path);
  }
}
