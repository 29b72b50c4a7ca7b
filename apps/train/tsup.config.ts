import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'es2022',
  banner: { js: '#!/usr/bin/env node' },
  // TypeScript source with no build of its own: bundled into the CLI.
  noExternal: ['@resnet/test-utils'],
});
