#!/usr/bin/env node
// One import style across the workspace: a relative import names the file it
// loads, with the extension Node's ESM resolver needs (`./x.js` for `x.ts`).
// Extensionless imports work under bundlers and tsx but not in the emitted
// ESM, and mixing styles made `residual` the odd one out. Checks every
// TypeScript file git knows of (tracked or new, not ignored); exits 1 listing
// each offending line.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exitOnHelp } from '../lib/usage.mjs';

/** Extensions a relative specifier may end with. */
const ALLOWED = /\.(?:m?js|cjs|json|css|wasm)$/;
// `from './x'`, `import './x'`, `import('./x')`, `export … from './x'`.
const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*(['"])(\.\.?\/[^'"]*|\.\.?)\1/g;

/**
 * Every relative import of `source` without an allowed extension, with its
 * 1-based line: `[{ line: 3, specifier: './highway' }]`.
 */
export function extensionlessImports(source) {
  const found = [];
  for (const m of source.matchAll(IMPORT)) {
    const specifier = m[2];
    if (!ALLOWED.test(specifier)) found.push({ line: source.slice(0, m.index).split('\n').length, specifier });
  }
  return found;
}

function main() {
  exitOnHelp('usage: node scripts/lint/relative-imports.mjs\n\nFails on a relative import without a file extension in any TypeScript file git knows of.');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.ts', '*.tsx', '*.mts', '*.cts'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const problems = [];
  for (const file of files) {
    let source;
    try {
      source = readFileSync(`${root}/${file}`, 'utf8');
    } catch {
      continue; // listed by git but deleted in the working tree
    }
    for (const { line, specifier } of extensionlessImports(source)) problems.push(`${file}:${line}: relative import '${specifier}' names no file: write './x.js' for x.ts, './dir/index.js' for a folder`);
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(`lint: ${problems.length} relative import(s) without an extension in ${files.length} TypeScript files`);
    process.exit(1);
  }
  console.log(`lint: every relative import names its file (${files.length} TypeScript files)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
