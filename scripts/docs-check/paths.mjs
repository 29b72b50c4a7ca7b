// Keeps the docs' pointers true: every repository path the architecture map
// (docs/architecture.md) names in backticks exists, every row of its "Where each
// concept lives" tables names at least one, every source file of the libraries
// and of the apps is named there (a new concept gets its row; an app's file may
// be named by its folder's row, e.g. `apps/demo/src/sections/`), and every
// relative link in any doc leads to a file or folder that exists.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inlineSpans } from './markdown.mjs';

/** The map the check holds to its paths. */
export const MAP = 'docs/architecture.md';

/**
 * The inline spans of `markdown` that are repository paths: one word, starting
 * with one of `topLevel` (the repository's top-level files and folders).
 * `[{ line, path }]`.
 */
export function repoPathSpans(markdown, topLevel) {
  return inlineSpans(markdown)
    .filter((s) => /^[\w.@-]+(\/[\w.@*{},-]+)*\/?$/.test(s.text) && topLevel.includes(s.text.split('/')[0]))
    .map((s) => ({ line: s.line, path: s.text }));
}

/**
 * The rows of the tables under `## Where each concept lives` whose last cell
 * names no repository path: `[{ line, concept }]`.
 */
export function rowsWithoutPath(markdown, topLevel) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^## Where each concept lives/.test(l));
  if (start < 0) return [{ line: 0, concept: 'no "## Where each concept lives" section' }];
  const out = [];
  for (let i = start + 1; i < lines.length && !/^## /.test(lines[i]); i++) {
    const row = lines[i];
    if (!row.startsWith('|') || /^\|[\s|:-]+\|$/.test(row) || /^\|\s*concept\s*\|/.test(row)) continue;
    const cells = row.split(/(?<!\\)\|/).slice(1, -1);
    const file = cells[cells.length - 1] ?? '';
    if (repoPathSpans(file, topLevel).length === 0) out.push({ line: i + 1, concept: (cells[0] ?? '').trim() });
  }
  return out;
}

/** The source files the map must name: the libraries' and the apps' (git pathspecs; `*` crosses folders). */
export const MAPPED_SOURCES = ['packages/*/src/*.ts', 'apps/*/src/*.ts', 'apps/*/tools/*.ts', 'apps/*/scripts/*.ts', 'apps/*/scripts/*.mjs', 'apps/*/e2e/*.mjs'];

/**
 * The source files (without tests, test helpers and barrels) that `named`
 * (the map's paths) leaves out. A library file must be named itself; an app's
 * file may also be named by a folder above it (a path ending in `/`).
 */
export function unmappedSources(sources, named) {
  const set = new Set(named);
  const folders = named.filter((p) => p.startsWith('apps/') && p.endsWith('/'));
  return sources.filter(
    (f) => !/\.test\.ts$|\/testing\/|\/test-utils\.ts$|\/index\.ts$|\.d\.ts$/.test(f) && !set.has(f) && !(f.startsWith('apps/') && folders.some((d) => f.startsWith(d))),
  );
}

/** Relative Markdown link targets of `markdown` (no scheme, not an in-page anchor): `[{ line, target }]`, anchors cut. */
export function relativeLinks(markdown) {
  const out = [];
  markdown.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1].split('#')[0];
      if (target && !/^[a-z][a-z0-9+.-]*:/i.test(target)) out.push({ line: i + 1, target });
    }
  });
  return out;
}

/** Every problem with the docs' paths and links: `['FILE:LINE: what']`, and how many were checked. */
export function checkPaths(root, docs) {
  const topLevel = readdirSync(root).filter((n) => n !== 'node_modules' && n !== '.git');
  const problems = [];
  let mapPaths = 0;
  let links = 0;
  const map = docs.find((d) => d.file === MAP);
  if (!map) problems.push(`${MAP}: missing`);
  else {
    for (const { line, path } of repoPathSpans(map.text, topLevel)) {
      mapPaths++;
      if (!existsSync(join(root, path))) problems.push(`${MAP}:${line}: \`${path}\` does not exist`);
    }
    for (const { line, concept } of rowsWithoutPath(map.text, topLevel)) problems.push(`${MAP}:${line}: '${concept}' names no file of the repository`);
    const sources = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...MAPPED_SOURCES], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && existsSync(join(root, f)));
    const named = repoPathSpans(map.text, topLevel).map((p) => p.path);
    for (const f of unmappedSources(sources, named)) problems.push(`${MAP}: ${f} is in no row of "Where each concept lives": add its concept`);
  }
  for (const doc of docs) {
    for (const { line, target } of relativeLinks(doc.text)) {
      links++;
      if (!existsSync(join(root, dirname(doc.file), decodeURIComponent(target)))) problems.push(`${doc.file}:${line}: link to ${target}, which does not exist`);
    }
  }
  return { problems, mapPaths, links };
}
