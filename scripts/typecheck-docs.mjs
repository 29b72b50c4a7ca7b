#!/usr/bin/env node
// Type-checks the code in the docs, as part of `pnpm typecheck`:
//   - every public function and class of the five libraries must have an
//     `@example` in its JSDoc (the API site shows it), and each must compile;
//   - every TypeScript block of the READMEs and docs/ must compile.
// Each snippet is written to .cache/docs-check/snippets/ (git-ignored) and
// compiled by tsc against the packages' built type declarations, as a user's
// editor sees them. An `@example` may leave out its imports: tfjs comes in as
// `tf` and the names it uses from its own package are imported for it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { examplePrelude, publicApi } from './docs-check/jsdoc-examples.mjs';
import { readDocs } from './docs-check/docs.mjs';
import { planPrograms } from './docs-check/programs.mjs';
import { exitOnHelp } from './lib/usage.mjs';

exitOnHelp(`usage: node scripts/typecheck-docs.mjs

Fails when a public function or class of packages/{blocks,residual,zoo,analysis,backend}
has no @example, and type-checks every @example and every TypeScript block of the docs
(against the built packages: run pnpm build first).`);

const root = resolve(import.meta.dirname, '..');
const out = join(root, '.cache', 'docs-check');
const t0 = Date.now();

const api = publicApi(root);
const missing = api.filter((a) => a.examples.length === 0);
for (const a of missing) console.error(`${a.file}:${a.line}: ${a.kind} ${a.name} (@resnet/${a.pkg}) has no @example`);

rmSync(out, { recursive: true, force: true });
const snippets = [];
for (const a of api) {
  const exportsOfPkg = api.filter((b) => b.pkg === a.pkg).map((b) => b.name);
  a.examples.forEach((code, i) => {
    // kind in the name: `ResidualAdd` and `residualAdd` differ only in case
    const file = join('snippets', a.pkg, `${a.kind}-${a.name}${i ? `-${i + 1}` : ''}.ts`);
    write(file, `// @example ${i + 1} of ${a.name}, ${a.file}:${a.line}\n${examplePrelude(code, a.pkg, exportsOfPkg)}${code}\nexport {};\n`);
    snippets.push(file);
  });
}
let blocks = 0;
const docs = readDocs(root).filter((d) => !d.error);
for (const p of planPrograms(docs)) {
  const file = join('snippets', 'docs', `${p.file.replace(/[/.]/g, '_')}_${p.line}.ts`);
  write(file, `// ${p.file}:${p.lines.join('+')}\n${p.code}\nexport {};\n`);
  snippets.push(file);
  blocks++;
}

writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: '../../tsconfig.base.json',
      compilerOptions: {
        noEmit: true,
        // what a user's project usually has; the packages' own code keeps the strict index checks
        noUncheckedIndexedAccess: false,
        baseUrl: '../..',
        paths: entryDeclarations(),
      },
      include: ['snippets/**/*.ts'],
    },
    null,
    2,
  ),
);
const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(out, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
const examples = api.reduce((n, a) => n + a.examples.length, 0);
console.log(`typecheck-docs: ${api.length} public functions and classes, ${missing.length} without @example; ${examples} @example blocks and ${blocks} doc blocks type-checked${tsc.status === 0 ? '' : ' WITH ERRORS'} (${((Date.now() - t0) / 1000).toFixed(1)} s; files in .cache/docs-check)`);
process.exit(missing.length > 0 || tsc.status !== 0 ? 1 : 0);

function write(file, text) {
  mkdirSync(join(out, file, '..'), { recursive: true });
  writeFileSync(join(out, file), text);
}

/** Every public entry of the libraries (`@resnet/zoo`, `@resnet/zoo/keras`, …) mapped to its built ESM declarations, as each package's `exports` names them. */
function entryDeclarations() {
  const paths = {};
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
      const types = target?.import?.types;
      if (typeof types === 'string') paths[sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`] = [join('packages', dir, types)];
    }
  }
  return paths;
}
