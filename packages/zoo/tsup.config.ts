import { defineConfig } from 'tsup';

export default defineConfig({
  // The platform modules are entries of their own: package.json `imports` maps
  // `#platform` to one of them per condition (node / default), so `#platform`
  // must stay an external import in the main bundle.
  entry: {
    index: 'src/index.ts',
    // The page half of classifying in a Web Worker: no tfjs, no zoo code (a few kB).
    worker: 'src/worker/client.ts',
    // Keras HDF5 loading: the only entry that reaches h5wasm (5.6 MB).
    keras: 'src/keras.ts',
    'platform/node': 'src/platform/node.ts',
    'platform/browser': 'src/platform/browser.ts',
  },
  external: ['#platform'],
  // import.meta.url in the CommonJS build too (platform/node-hdf5.ts finds h5wasm from its own file).
  shims: true,
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', worker: 'src/worker/client.ts', keras: 'src/keras.ts' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
