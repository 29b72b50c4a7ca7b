// The tsup build of a library with one entry (its barrel): ESM and CommonJS,
// type declarations and source maps, for Node 20 and current browsers. The
// packages whose build has more entries (zoo, backend) write their own.
import { defineConfig } from 'tsup';

/** The tsup config of `@resnet/blocks`, `@resnet/residual` and `@resnet/analysis`. */
export const libraryConfig = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
