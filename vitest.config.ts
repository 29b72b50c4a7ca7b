import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

/**
 * `#platform` (package.json `imports`) resolves to a built file in dist; tests
 * take the Node implementation from the importing package's sources instead.
 */
const platformFromSources: Plugin = {
  name: 'resnet-platform-sources',
  enforce: 'pre',
  resolveId(id, importer) {
    const m = id === '#platform' && importer ? /^(.*\/packages\/[^/]+)\/src\//.exec(importer.replaceAll('\\', '/')) : null;
    return m ? `${m[1]}/src/platform/node.ts` : null;
  },
};

/**
 * One vitest run over every package and app. Workspace packages resolve to their
 * sources, so tests never run against a stale build.
 */
export default defineConfig({
  plugins: [platformFromSources],
  resolve: {
    alias: {
      '@resnet/blocks': pkg('blocks'),
      '@resnet/residual': pkg('residual'),
      '@resnet/zoo': pkg('zoo'),
      '@resnet/analysis': pkg('analysis'),
      '@resnet/backend': pkg('backend'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tools/*/src/**/*.test.ts', 'scripts/**/*.test.ts', 'examples/**/*.test.ts'],
    setupFiles: [fileURLToPath(new URL('./scripts/vitest.setup.ts', import.meta.url))],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The HDF5 library (h5wasm) prints its error stack for every refused file;
    // the loader's own error already says what was wrong.
    onConsoleLog: (log) => !/^HDF5-DIAG|^\s+#\d{3}:|^\s+(major|minor): /m.test(log),
  },
});
