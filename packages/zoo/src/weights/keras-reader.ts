/**
 * Where `loadWeights(…, { from: 'keras' })` finds the Keras HDF5 reader. The
 * reader (and h5wasm, 5.6 MB of JavaScript and WebAssembly) lives in the
 * `@resnet/zoo/keras` entry, which installs it here when imported, so an app
 * that never loads Keras weights never bundles HDF5. The slot is a global
 * symbol, so it holds across the package's ESM and CommonJS builds.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LoadReport } from './report.js';

/** Loads Keras applications HDF5 bytes into a model. */
export type KerasReader = (model: LayersModel, bytes: Uint8Array, opts: { strict: boolean; allowNonFinite: boolean }) => Promise<LoadReport>;

const SLOT = Symbol.for('@resnet/zoo/keras-reader');
type Slot = { [SLOT]?: KerasReader };

/** Installs the Keras reader (called by the `@resnet/zoo/keras` entry). */
export function installKerasReader(reader: KerasReader): void {
  (globalThis as Slot)[SLOT] = reader;
}

/** The installed Keras reader; throws saying which entry to import when there is none. */
export function kerasReader(what: string): KerasReader {
  const r = (globalThis as Slot)[SLOT];
  if (!r) {
    throw new Error(
      `${what}: Keras HDF5 weights need the '@resnet/zoo/keras' entry (it adds the HDF5 reader, h5wasm, 5.6 MB); ` +
        "add `import '@resnet/zoo/keras';` once before loading them",
    );
  }
  return r;
}
