import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const pkg = (name: string) => fileURLToPath(new URL(`../../packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  // base './' makes the static build work from any folder.
  base: './',
  resolve: {
    // The workspace packages are compiled from source, as in the root vitest
    // config: the page never runs against a stale dist.
    alias: {
      // Before '@resnet/zoo', which would also catch its subpath.
      '@resnet/zoo/worker': fileURLToPath(new URL('../../packages/zoo/src/worker/client.ts', import.meta.url)),
      '@resnet/blocks': pkg('blocks'),
      '@resnet/residual': pkg('residual'),
      '@resnet/zoo': pkg('zoo'),
      '@resnet/analysis': pkg('analysis'),
      '@resnet/backend': pkg('backend'),
    },
    // One tfjs in the bundle: layer registration and instanceof checks need it.
    dedupe: ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu'],
  },
  // Module workers: the compute worker imports tfjs and the packages (code-split).
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // tfjs and vega are large by nature; the page loads them once.
    chunkSizeWarningLimit: 4000,
  },
});
