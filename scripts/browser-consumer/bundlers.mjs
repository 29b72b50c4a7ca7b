// The four bundlers, each building app.js from the consumer project for the
// browser as its documentation suggests. Each returns { errors, warnings } (strings),
// and writes index.html + its output into `out`. The bundlers are devDependencies
// of the workspace; module resolution starts at the consumer project's app.js.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import * as esbuild from 'esbuild';
import { rollup } from 'rollup';
import * as vite from 'vite';
import webpack from 'webpack';

const html = (script) => `<!doctype html><meta charset="utf-8"><title>consumer</title>${script}`;
// Minifying tfjs takes most of a bundler's time; `pnpm test` skips it, the hand run measures it.
const minify = process.env.BUNDLE_MINIFY === '1';

export const BUNDLERS = {
  async esbuild(app, out) {
    const r = await esbuild.build({ entryPoints: [app], bundle: true, platform: 'browser', format: 'esm', splitting: true, outdir: out, minify, logLevel: 'silent' });
    writeFileSync(join(out, 'index.html'), html('<script type="module" src="./app.js"></script>'));
    const fmt = (m) => `${m.text}${m.location ? ` (${m.location.file})` : ''}`;
    return { errors: r.errors.map(fmt), warnings: r.warnings.map(fmt) };
  },

  async webpack(app, out) {
    // Production mode, as apps ship: webpack drops unused exports only through its
    // minimizer (terser), so it always minifies; its output is measured as emitted.
    const config = { mode: 'production', devtool: false, target: 'web', entry: app, output: { path: out, filename: 'app.js' }, performance: { hints: false } };
    const stats = await new Promise((resolve, reject) => webpack(config, (err, s) => (err ? reject(err) : resolve(s))));
    const j = stats.toJson({ all: false, errors: true, warnings: true });
    writeFileSync(join(out, 'index.html'), html('<script src="./app.js"></script>'));
    return { errors: j.errors.map((e) => e.message), warnings: j.warnings.map((w) => w.message) };
  },

  async vite(app, out) {
    const dir = join(app, '..');
    copyFileSync(app, join(dir, 'main.js'));
    writeFileSync(join(dir, 'index.html'), html('<script type="module" src="./main.js"></script>'));
    const warnings = [];
    const logger = vite.createLogger('silent');
    logger.warn = (m) => warnings.push(m);
    logger.warnOnce = (m) => warnings.push(m);
    await vite.build({ root: dir, configFile: false, logLevel: 'silent', customLogger: logger, base: './', build: { outDir: out, emptyOutDir: true, minify, chunkSizeWarningLimit: 1e6 } });
    return { errors: [], warnings };
  },

  async rollup(app, out) {
    const warnings = [];
    const bundle = await rollup({ input: app, plugins: [nodeResolve({ browser: true }), commonjs()], onwarn: (w) => warnings.push(`${w.code}: ${w.message}`) });
    await bundle.write({ dir: out, format: 'es' });
    await bundle.close();
    writeFileSync(join(out, 'index.html'), html('<script type="module" src="./app.js"></script>'));
    return { errors: [], warnings };
  },
};

/** Warnings that mean a Node built-in reached (or was refused from) a browser bundle. */
export function nodeBuiltinWarnings(warnings) {
  const builtin = /["'`](node:[\w/]+|fs|fs\/promises|path|os|crypto|url|worker_threads|child_process|module|perf_hooks|util|stream|net|http|https)["'`]|Node\.js built-in|externalized for browser compatibility|MISSING_NODE_BUILTINS/;
  return warnings.filter((w) => builtin.test(w));
}

// `node bundlers.mjs <name> <app> <out>`: one bundler in its own process (the
// test runs them side by side); prints its result as JSON.
if (process.argv[1] === import.meta.filename) {
  const [name, app, out] = process.argv.slice(2);
  const t = Date.now();
  const r = await BUNDLERS[name](app, out);
  process.stdout.write(JSON.stringify({ ...r, nodeWarnings: nodeBuiltinWarnings(r.warnings), ms: Date.now() - t }));
  process.exit(0);
}
