#!/usr/bin/env node
// Every TypeScript file git knows of must be type-checked by `pnpm typecheck`:
// inside the `include` of a tsconfig that some workspace package's `typecheck`
// script runs (or the root's). Files outside every tsconfig rot unseen (a
// debug script importing exports that no longer exist compiled nowhere).
// Reads the configs only (no type-checking), so it takes a second or two.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { workspaceDirs } from '../lib/workspace-packages.mjs';
import { exitOnHelp } from '../lib/usage.mjs';

exitOnHelp(`usage: node scripts/lint/typecheck-coverage.mjs

Fails on a TypeScript file that no tsconfig run by pnpm typecheck includes.`);

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The tsconfig files a package's `typecheck` script runs `tsc` on (`-p X`, else tsconfig.json). */
function typecheckProjects(dir) {
  const script = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts?.typecheck ?? '';
  if (!/\btsc\b/.test(script)) return [];
  const named = [...script.matchAll(/(?:-p|--project)\s+(\S+)/g)].map((m) => resolve(dir, m[1]));
  return named.length > 0 ? named : [join(dir, 'tsconfig.json')];
}

const covered = new Set();
const projects = workspaceDirs(root).flatMap(typecheckProjects);
for (const project of projects) {
  const parsed = ts.getParsedCommandLineOfConfigFile(project, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(`${project}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`); } });
  for (const f of parsed?.fileNames ?? []) covered.add(relative(root, f));
}
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.ts', '*.tsx', '*.mts', '*.cts'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && existsSync(join(root, f)));
const missing = files.filter((f) => !covered.has(f));
if (missing.length > 0) {
  for (const f of missing) console.error(`${f}: in no tsconfig that \`pnpm typecheck\` runs; add it to the \`include\` of its package's tsconfig.json`);
  console.error(`lint: ${missing.length} of ${files.length} TypeScript files are not type-checked`);
  process.exit(1);
}
console.log(`lint: all ${files.length} TypeScript files are type-checked (${projects.length} tsconfig projects)`);
