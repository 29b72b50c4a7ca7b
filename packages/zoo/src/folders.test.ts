/**
 * The folders of the zoo import one way (docs/architecture.md, "Inside
 * @resnet/zoo"): the graph of folder-to-folder imports of the sources is read
 * from the files and compared with the documented one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** The folders each folder may import (a folder absent here imports none). */
const ALLOWED: Record<string, string[]> = {
  platform: ['spec'],
  io: ['net', 'platform', 'spec', 'transforms'],
  pretrained: ['imagenet', 'net', 'platform', 'safetensors', 'spec'],
  safetensors: ['spec'],
  transforms: ['pretrained', 'spec'],
  weights: ['io', 'net', 'platform', 'safetensors', 'spec'],
  models: ['net', 'platform', 'pretrained', 'spec', 'weights'],
  classify: ['imagenet', 'io', 'models', 'net', 'pretrained', 'spec', 'transforms'],
  transfer: ['models'],
  worker: ['classify', 'models', 'pretrained', 'spec'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'testing' ? [] : sources(join(dir, e.name))) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

function folderGraph(): Record<string, string[]> {
  const graph: Record<string, Set<string>> = {};
  for (const file of sources(SRC)) {
    const rel = relative(SRC, file);
    if (!rel.includes('/')) continue; // the barrel imports everything
    const from = rel.split('/')[0]!;
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+|#platform)'/g)) {
      const to = m[1] === '#platform' ? 'platform' : normalize(join(dirname(rel), m[1]!)).split('/')[0]!;
      if (to !== from) (graph[from] ??= new Set()).add(to);
    }
  }
  return Object.fromEntries(Object.entries(graph).map(([k, v]) => [k, [...v].sort()]));
}

describe('the zoo folders', () => {
  it('import only what docs/architecture.md allows, and therefore form no cycle', () => {
    const graph = folderGraph();
    for (const [from, tos] of Object.entries(graph)) {
      const extra = tos.filter((t) => !(ALLOWED[from] ?? []).includes(t));
      expect(extra, `${from}/ imports ${extra.join(', ')}`).toEqual([]);
    }
    // The allowed graph itself has no cycle: a depth-first search finds no back edge.
    const state = new Map<string, 'open' | 'done'>();
    const visit = (n: string, path: string[]): void => {
      if (state.get(n) === 'done') return;
      if (state.get(n) === 'open') throw new Error(`cycle: ${[...path, n].join(' -> ')}`);
      state.set(n, 'open');
      for (const m of ALLOWED[n] ?? []) visit(m, [...path, n]);
      state.set(n, 'done');
    };
    for (const n of Object.keys(ALLOWED)) visit(n, []);
  });

  it('spec/ and net/ are leaves', () => {
    const graph = folderGraph();
    expect(graph.spec).toBeUndefined();
    expect(graph.net).toBeUndefined();
  });
});
