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

describe('bundles', () => {
  it("a browser build of the main entry reaches neither h5wasm nor the Keras reader; @resnet/zoo/keras's does", async () => {
    const { build } = await import('esbuild');
    const { fileURLToPath } = await import('node:url');
    const src = fileURLToPath(new URL('..', import.meta.url));
    const inputs = async (entry: string) => {
      const r = await build({
        entryPoints: [`${src}/${entry}`],
        bundle: true,
        write: false,
        metafile: true,
        format: 'esm',
        platform: 'browser',
        splitting: true,
        outdir: '/out',
        alias: { '#platform': `${src}/platform/browser.ts` },
        external: ['@tensorflow/*', '@resnet/*', 'hash-wasm'],
        logLevel: 'error',
      });
      return Object.keys(r.metafile.inputs);
    };
    const main = await inputs('index.ts');
    expect(main.some((p) => p.endsWith('weights/load.ts'))).toBe(true); // the check sees the loaders
    expect(main.filter((p) => /h5wasm|weights\/keras\.ts|keras-h5\.ts|node-hdf5/.test(p))).toEqual([]);
    const keras = await inputs('keras.ts');
    expect(keras.some((p) => /h5wasm/.test(p))).toBe(true);
  });
});
