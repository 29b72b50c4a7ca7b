import { defineConfig } from 'vite';

// base './' makes the static build work from any folder.
export default defineConfig({ base: './' });
