import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../classify/classifier.js';
import { createModel } from '../models/create.js';
import { loadWeights } from './load.js';

describe('Keras HDF5 without the @resnet/zoo/keras entry', () => {
  it('loadWeights, createModel and loadClassifier name the entry to import, before any download', async () => {
    const slot = Symbol.for('@resnet/zoo/keras-reader');
    const g = globalThis as { [k: symbol]: unknown };
    const saved = g[slot];
    delete g[slot];
    try {
      const model = createModel('resnet20');
      await expect(loadWeights(model, new Uint8Array(16), { from: 'keras' })).rejects.toThrow(
        "loadWeights(from: 'keras'): Keras HDF5 weights need the '@resnet/zoo/keras' entry (it adds the HDF5 reader, h5wasm, 5.6 MB); add `import '@resnet/zoo/keras';` once before loading them",
      );
      model.dispose();
      let fetched = 0;
      const fetch = async () => {
        fetched++;
        throw new Error('no network in tests');
      };
      await expect(createModel('resnet50.keras_in1k', { download: { fetch } })).rejects.toThrow(/^weights 'resnet50.keras_in1k': Keras HDF5 weights need the '@resnet\/zoo\/keras' entry/);
      await expect(loadClassifier('resnet101.keras_in1k', { download: { fetch } })).rejects.toThrow(/^weights 'resnet101.keras_in1k': Keras HDF5 weights need/);
      expect(fetched).toBe(0);
      // Importing the entry installs the reader.
      await import('../keras.js');
      expect(typeof g[slot]).toBe('function');
    } finally {
      if (saved) g[slot] = saved;
    }
  });
});
