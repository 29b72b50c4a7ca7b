#!/usr/bin/env node
// The docs check (a stage of `pnpm test`): what a newcomer copies from the docs
// must work as written.
//   1. paths: every path the architecture map names exists, every concept names
//      a file, every relative link leads somewhere;
//   2. commands: every shell command (code blocks and inline spans) resolves:
//      script, binary or file exists, and --help or a dry run succeeds
//      (scripts/docs-check/resolve.mjs);
//   3. code: every TypeScript/JavaScript block not marked `skip` runs against the
//      packed tarballs installed with plain npm (scripts/docs-check/run-programs.mjs).
// Markers (`<!-- docs-check: … -->` above a block) are described in
// scripts/docs-check/markdown.mjs and CONTRIBUTING.md. Prints the counts.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { collectCommands, resolveCommands } from './docs-check/commands.mjs';
import { readDocs } from './docs-check/docs.mjs';
import { checkPaths } from './docs-check/paths.mjs';
import { planPrograms } from './docs-check/programs.mjs';
import { prepareProject, runPrograms } from './docs-check/run-programs.mjs';
import { exitOnHelp } from './lib/usage.mjs';

exitOnHelp(`usage: node scripts/docs-check.mjs [--only paths|commands|code]

Checks that the docs work as written: the map's paths and every relative link exist,
every shell command resolves, every TypeScript/JavaScript block runs against the packed
tarballs (installed with npm in a temp project; KEEP_DOCS_CHECK=1 keeps it).`);

/** How each kind of resolution reads in the counts. */
const KIND_NAMES = {
  script: 'through the scripts pnpm lists',
  bin: 'binaries answering --help',
  'pnpm built-in': 'pnpm built-ins',
  cli: "our CLIs' --help (flags checked)",
  npm: 'npm commands and packages',
  file: 'files (bash -n, Python parse, placeholder match)',
  external: "external tools' options (nothing of ours)",
};

const root = resolve(import.meta.dirname, '..');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const wanted = (part) => !only || only === part;
const t0 = Date.now();
const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
const failures = [];
const counts = [];

const docs = readDocs(root);
for (const d of docs.filter((d) => d.error)) failures.push(`${d.file}: ${d.error}`);
const parsed = docs.filter((d) => !d.error);
console.log(`docs: ${docs.length} files (${parsed.reduce((n, d) => n + d.blocks.length, 0)} code blocks)`);

let programs = [];
try {
  programs = planPrograms(parsed);
} catch (e) {
  failures.push(e.message);
}
const runnable = programs.filter((p) => !p.skip);
// The install (about 20 s, mostly waiting on npm) runs while the commands resolve.
const tInstall = Date.now();
const project = wanted('code') ? prepareProject(root, runnable).then((p) => ({ ...p, seconds: (Date.now() - tInstall) / 1000 }), (e) => ({ error: e })) : null;

if (wanted('paths')) {
  const { problems, mapPaths, links } = checkPaths(root, parsed);
  failures.push(...problems);
  counts.push(`paths: ${mapPaths} in the map and ${links} relative links checked, ${problems.length} wrong`);
}

if (wanted('commands')) {
  const t = Date.now();
  const results = await resolveCommands(root, collectCommands(parsed));
  for (const r of results.filter((r) => !r.ok)) failures.push(`${r.where}: \`${r.text}\`\n  ${r.detail}`);
  const kinds = {};
  for (const r of results.filter((r) => r.ok)) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
  const byKind = Object.entries(kinds).map(([k, n]) => `${n} ${KIND_NAMES[k] ?? k}`).join(', ');
  counts.push(`commands: ${results.filter((r) => r.ok).length} of ${results.length} resolved (${byKind}) in ${secs(t)}`);
}

if (project) {
  const t = Date.now();
  const skipped = programs.filter((p) => p.skip);
  for (const p of skipped) console.log(`skip ${p.file}:${p.line}: ${p.skip}`);
  const ready = await project;
  const dir = ready.dir ?? ready.error?.dir;
  try {
    if (ready.error) throw ready.error;
    console.log(`docs: tarballs installed and stand-in weights made in ${dir} (${ready.seconds.toFixed(1)} s since the start)`);
    for (const r of await runPrograms(root, ready, runnable)) {
      const where = `${r.program.file}:${r.program.lines.join('+')}`;
      const extras = [r.program.weights.length ? `stand-in weights ${r.program.weights.join(', ')}` : '', ...r.program.files.map((f) => `${f.name} = ${f.from}`)].filter(Boolean);
      console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${where} (${r.seconds.toFixed(1)} s)${extras.length ? ` [${extras.join('; ')}]` : ''}`);
      if (!r.ok) failures.push(`${where}: the code block failed: ${r.output}`);
    }
  } catch (e) {
    failures.push(e.message);
  } finally {
    if (dir && !process.env.KEEP_DOCS_CHECK) rmSync(dir, { recursive: true, force: true });
  }
  const reasons = skipped.map((p) => `${p.file}:${p.line} ${p.skip}`);
  counts.push(`code: ${runnable.length} blocks run, ${skipped.length} skipped${reasons.length ? ` (${reasons.join('; ')})` : ''}; ${secs(t)} after the commands`);
}

for (const f of failures) console.log(`FAIL ${f}`);
for (const c of counts) console.log(`docs check: ${c}`);
console.log(`docs check: ${failures.length === 0 ? 'passed' : `${failures.length} problem(s)`} in ${secs(t0)}`);
process.exit(failures.length === 0 ? 0 : 1);
