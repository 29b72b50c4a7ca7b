/**
 * Keras applications HDF5 weights (`resnet50_weights_tf_dim_ordering_tf_kernels.h5`
 * and friends) via h5wasm. The file's root lists `layer_names`; each layer group
 * lists its `weight_names`, stored at `<layer>/<weight name>`. Keras layouts
 * (HWIO kernels, [in, out] dense) are tfjs layouts, so only names change.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Dataset as H5Dataset, File as H5File, Group as H5Group, Metadata as H5Metadata } from 'h5wasm';
import { applyWeights, type SourceTensor, type WeightTarget } from './apply.js';
import { toKerasLayerName } from './names/keras.js';
import { classifierLayerName } from './names/torchvision.js';
import type { LoadReport } from './report.js';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
let counter = 0;

/** h5wasm's classes, for instanceof checks (the module is imported lazily). */
interface H5Classes {
  Group: typeof H5Group;
  Dataset: typeof H5Dataset;
}

function shortWeightName(w: string): string {
  const last = w.slice(w.lastIndexOf('/') + 1);
  return last.endsWith(':0') ? last.slice(0, -2) : last;
}

function asStrings(v: unknown): string[] {
  if (v == null) return [];
  if (typeof v === 'string') return [v];
  return Array.from(v as ArrayLike<unknown>, (x) => (typeof x === 'string' ? x : new TextDecoder().decode(x as Uint8Array)));
}

/** The Keras-side view of a v1 ResNet: `<keras layer>/<weight>` keys. */
export function kerasTargets(model: LayersModel): WeightTarget[] {
  const classifier = classifierLayerName(model);
  const targets: WeightTarget[] = [];
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const k = toKerasLayerName(layer.name);
    if (!k) {
      throw new Error(
        `layer '${layer.name}' has no Keras applications counterpart; Keras weights fit only the 'v1' ResNet-50/101/152 ` +
          `(createModel('resnet50', { variant: 'v1' }))`,
      );
    }
    for (const v of layer.weights) {
      targets.push({
        key: `${k}/${shortWeightName(v.originalName)}`,
        variable: v,
        sourceShape: v.shape as number[],
        toTfjs: (x) => x,
        classifier: layer.name === classifier,
      });
    }
  }
  return targets;
}

/** Loads Keras applications HDF5 bytes into a `'v1'` ResNet. */
export async function loadKerasH5(model: LayersModel, bytes: Uint8Array, opts: { strict: boolean }): Promise<LoadReport> {
  if (bytes.byteLength < 8 || !HDF5_SIGNATURE.every((b, i) => bytes[i] === b)) {
    throw new Error('invalid Keras weights: not an HDF5 file (missing the \\x89HDF signature at byte 0)');
  }
  const targets = kerasTargets(model); // fails early, before any file work, for non-v1 models
  const h5wasm = (await import('h5wasm')).default;
  const { FS } = await h5wasm.ready;
  const path = `/resnet-zoo-${Date.now()}-${++counter}.h5`;
  FS.writeFile(path, bytes);
  let file: H5File | undefined;
  try {
    try {
      file = new h5wasm.File(path, 'r');
    } catch (e) {
      throw new Error(`invalid Keras weights: HDF5 file cannot be opened (${(e as Error).message ?? e}); truncated?`);
    }
    return readAndApply(file, targets, opts, bytes.byteLength, h5wasm);
  } catch (e) {
    if ((e as Error).message?.startsWith('invalid Keras weights') || (e as Error).name === 'WeightLoadError') throw e;
    throw new Error(`invalid Keras weights: cannot read the HDF5 structure (${(e as Error).message ?? e}); truncated or corrupt file?`);
  } finally {
    try {
      file?.close();
    } finally {
      FS.unlink(path);
    }
  }
}

/** HDF5 type classes a weight may have (H5T_INTEGER, H5T_FLOAT). */
const NUMERIC_CLASSES = new Set([0, 1]);

/**
 * Refuses an object whose declared size exceeds the file: the HDF5 library
 * would allocate what the header claims before finding the data missing. Keras
 * weight files are stored uncompressed, so honest data never declares more
 * bytes than the file holds.
 */
function checkDeclaredSize(what: string, meta: H5Metadata, fileBytes: number): void {
  const declared = meta.total_size * meta.size;
  if (!Number.isSafeInteger(declared) || declared > fileBytes) {
    throw new Error(
      `invalid Keras weights: ${what} declares shape [${(meta.shape ?? []).join(', ')}] of ${meta.size}-byte elements ` +
        `(${declared} bytes) but the file is ${fileBytes} bytes; corrupt or hostile file`,
    );
  }
}

function readStrings(obj: H5Group | H5File, name: string, fileBytes: number): string[] {
  const attr = obj.attrs[name];
  if (!attr) return [];
  checkDeclaredSize(`attribute '${name}'`, attr.metadata, fileBytes);
  return asStrings(attr.value);
}

function readAndApply(file: H5File, targets: WeightTarget[], opts: { strict: boolean }, fileBytes: number, h5: H5Classes): LoadReport {
  const root = file.keys().includes('model_weights') ? (file.get('model_weights') as H5Group) : file;
  const layerNames = readStrings(root, 'layer_names', fileBytes);
  if (!layerNames.length) {
    throw new Error("invalid Keras weights: the root has no 'layer_names' attribute (not a Keras weights file)");
  }
  const source = new Map<string, SourceTensor>();
  for (const lname of layerNames) {
    const group = root.get(lname) as H5Group | null;
    if (!group || !(group instanceof h5.Group)) throw new Error(`invalid Keras weights: layer '${lname}' is listed in layer_names but has no group`);
    for (const wname of readStrings(group, 'weight_names', fileBytes)) {
      const ds = group.get(wname) as H5Dataset | null;
      if (!ds || !(ds instanceof h5.Dataset) || !ds.shape) throw new Error(`invalid Keras weights: weight '${lname}/${wname}' is listed but missing`);
      const meta = ds.metadata;
      if (!NUMERIC_CLASSES.has(meta.type) || meta.vlen) {
        throw new Error(`invalid Keras weights: weight '${lname}/${wname}' is not numeric (HDF5 type class ${meta.type})`);
      }
      checkDeclaredSize(`weight '${lname}/${wname}'`, meta, fileBytes);
      // Read lazily: only weights that match a target by name and shape are decoded.
      source.set(`${lname}/${shortWeightName(wname)}`, { shape: ds.shape, read: () => Float32Array.from(ds.value as ArrayLike<number>) });
    }
  }
  return applyWeights(targets, source, { strict: opts.strict, isClassifierKey: (k) => k.startsWith('predictions/') });
}
