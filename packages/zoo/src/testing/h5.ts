/**
 * Writes small HDF5 files laid out like Keras applications weights (root
 * attribute `layer_names`, one group per layer with `weight_names`), with
 * h5wasm in memory. A weight can declare a larger shape than it stores
 * (`declare`): a chunked, resizable dataset whose chunks were never written,
 * so a few-KB file can claim a 1 GiB tensor.
 */
import h5wasm from 'h5wasm';

/** One weight of a layer. */
interface H5Weight {
  /** Weight name, e.g. `conv1_conv/kernel:0`. */
  name: string;
  /** Stored values (float32). */
  data: Float32Array;
  /** Stored shape. */
  shape: number[];
  /** Shape the dataset is resized to after writing (declared, never stored). */
  declare?: number[];
}

let counter = 0;

/** The bytes of an HDF5 file with `layers` in the Keras layout (`layerNames`: the root attribute, default the layers' names). */
export async function makeKerasH5(layers: Array<{ name: string; weights: H5Weight[] }>, layerNames = layers.map((l) => l.name)): Promise<Uint8Array> {
  const { FS } = await h5wasm.ready;
  const path = `/make-keras-${++counter}.h5`;
  const f = new h5wasm.File(path, 'w');
  try {
    f.create_attribute('layer_names', layerNames);
    for (const l of layers) {
      const g = f.create_group(l.name);
      g.create_attribute('weight_names', l.weights.map((w) => w.name));
      for (const w of l.weights) {
        // Keras stores `<layer>/<layer>/kernel:0`: create the inner group first.
        const dir = w.name.includes('/') ? w.name.slice(0, w.name.lastIndexOf('/')) : '';
        if (dir && !g.get(dir)) g.create_group(dir);
        const resizable = w.declare !== undefined;
        const ds = g.create_dataset({
          name: w.name,
          data: w.data,
          shape: w.shape,
          ...(resizable ? { maxshape: w.shape.map(() => null), chunks: w.shape.map((d) => Math.max(1, d)) } : {}),
        });
        if (resizable) ds.resize(w.declare!);
      }
    }
  } finally {
    f.close();
  }
  const bytes = FS.readFile(path) as Uint8Array;
  FS.unlink(path);
  return bytes;
}
