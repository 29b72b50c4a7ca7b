/**
 * @packageDocumentation
 * `@resnet/zoo/keras`: Keras applications HDF5 weights (`*.h5`), an entry of
 * its own because its HDF5 reader (h5wasm) is 5.6 MB. Importing it once lets
 * `loadWeights(…, { from: 'keras' })`, `createModel('resnet50.keras_in1k')`
 * and `loadClassifier('resnet50.keras_in1k')` read HDF5; apps that never
 * import it never bundle HDF5.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { installKerasReader } from './weights/keras-reader.js';
import { loadKerasH5 } from './weights/keras.js';
import type { LoadReport } from './weights/report.js';
import { readSource, type WeightSource } from './weights/source.js';

installKerasReader((model, bytes, opts) => loadKerasH5(model, bytes, opts));

/**
 * Loads Keras applications HDF5 weights into a `'v1'` ResNet; the same as
 * `loadWeights(model, source, { from: 'keras' })` once this entry is imported.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * import { loadKerasWeights } from '@resnet/zoo/keras';
 * const model = createModel('resnet50', { variant: 'v1' });
 * await loadKerasWeights(model, 'resnet50_weights_tf_dim_ordering_tf_kernels.h5');
 * ```
 */
export async function loadKerasWeights(model: LayersModel, source: WeightSource, opts: { strict?: boolean } = {}): Promise<LoadReport> {
  return loadKerasH5(model, await readSource(source), { strict: opts.strict ?? true });
}
