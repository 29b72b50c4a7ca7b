import { defineConfig } from 'tsup';

export default defineConfig({
  // The platform modules are entries of their own: package.json `imports` maps
  // `#platform` to one of them per condition (node / default), so `#platform`
  // must stay an external import in the main bundle.
  entry: { index: 'src/index.ts', 'platform/node': 'src/platform/node.ts', 'platform/browser': 'src/platform/browser.ts' },
  external: ['#platform'],
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // import.meta.url in the CommonJS build (platform/node.ts resolves the optional webgpu package from here).
  shims: true,
});
