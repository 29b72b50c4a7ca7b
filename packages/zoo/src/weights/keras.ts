/**
 * Keras applications HDF5 weights (`resnet50_weights_tf_dim_ordering_tf_kernels.h5`
 * and friends) via h5wasm. The file's root lists `layer_names`; each layer group
 * lists its `weight_names`, stored at `<layer>/<weight name>`. Keras layouts
 * (HWIO kernels, [in, out] dense) are tfjs layouts, so only names change.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { platform } from '#platform';
import { applyWeights, type SourceTensor, type WeightTarget } from './apply.js';
import { toKerasLayerName } from './names/keras.js';
import { classifierLayerName } from './names/torchvision.js';
import { readKerasH5 } from './keras-h5.js';
import { isHdf5 } from './hdf5-signature.js';
import type { LoadReport } from './report.js';


function shortWeightName(w: string): string {
  const last = w.slice(w.lastIndexOf('/') + 1);
  return last.endsWith(':0') ? last.slice(0, -2) : last;
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

/**
 * Time the HDF5 work may take: 10 s plus 0.2 s per MiB, far more than reading
 * honest data needs. Past it the file is taken as one the HDF5 library loops on.
 */
function hdf5TimeLimitMs(byteLength: number): number {
  return 10_000 + Math.ceil((byteLength / 2 ** 20) * 200);
}

/** Loads Keras applications HDF5 bytes into a `'v1'` ResNet (`timeLimitMs`: see {@link hdf5TimeLimitMs}). */
export async function loadKerasH5(model: LayersModel, bytes: Uint8Array, opts: { strict: boolean; allowNonFinite?: boolean; timeLimitMs?: number }): Promise<LoadReport> {
  if (!isHdf5(bytes)) {
    throw new Error('invalid Keras weights: not an HDF5 file (missing the \\x89HDF signature at byte 0)');
  }
  const targets = kerasTargets(model); // fails early, before any file work, for non-v1 models
  const limitMs = opts.timeLimitMs ?? hdf5TimeLimitMs(bytes.byteLength);
  const weights = await platform.runHdf5(
    readKerasH5,
    bytes,
    limitMs,
    `invalid Keras weights: the HDF5 library did not finish reading the file (${bytes.byteLength} bytes) in ` +
      `${(limitMs / 1000).toFixed(1)} s, the limit for its size; it loops forever on some corrupt structures (corrupt or hostile file)`,
    () => import('h5wasm'),
  );
  const source = new Map<string, SourceTensor>(weights.map((w) => [w.key, { shape: w.shape, read: () => w.data }]));
  return applyWeights(targets, source, { strict: opts.strict, allowNonFinite: opts.allowNonFinite, isClassifierKey: (k) => k.startsWith('predictions/') });
}
