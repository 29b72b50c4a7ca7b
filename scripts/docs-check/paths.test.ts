import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { relativeLinks, repoPathSpans, rowsWithoutPath, unmappedSources } from './paths.mjs';

const top = ['packages', 'scripts', 'typedoc.json', '.ci'];

describe('repoPathSpans', () => {
  it('takes one-word spans that start at a top-level entry of the repository', () => {
    const md = 'See `packages/zoo/src/a.ts`, `typedoc.json`, `.ci/run` and `apps/x/`.\nNot `model.json`, `src/a.ts`, `pnpm test` or `createModel()`.';
    expect(repoPathSpans(md, top)).toEqual([
      { line: 1, path: 'packages/zoo/src/a.ts' },
      { line: 1, path: 'typedoc.json' },
      { line: 1, path: '.ci/run' },
    ]);
  });
});

describe('rowsWithoutPath', () => {
  it('names the concept rows whose file cell holds no repository path, in that section only', () => {
    const md = [
      '## Where each concept lives',
      '| concept | file |',
      '|---|---|',
      '| blocks | `packages/blocks/src/a.ts` |',
      '| a \\| pipe | options of `ResidualAdd` |',
      '## Design decisions',
      '| x | nothing |',
    ].join('\n');
    expect(rowsWithoutPath(md, top)).toEqual([{ line: 5, concept: 'a \\| pipe' }]);
  });
  it('reports a map without the section', () => {
    expect(rowsWithoutPath('# Nothing', top)).toEqual([{ line: 0, concept: 'no "## Where each concept lives" section' }]);
  });
});

describe('unmappedSources', () => {
  it('lists library sources the map does not name, leaving tests, test helpers and barrels out', () => {
    const sources = ['packages/a/src/x.ts', 'packages/a/src/y.ts', 'packages/a/src/x.test.ts', 'packages/a/src/index.ts', 'packages/a/src/testing/f.ts', 'packages/a/src/test-utils.ts'];
    expect(unmappedSources(sources, ['packages/a/src/x.ts'])).toEqual(['packages/a/src/y.ts']);
  });
  it("counts an app's file as named by a folder row above it, a library's file only by its own path", () => {
    const sources = ['apps/d/src/sections/a.ts', 'apps/d/src/b.ts', 'apps/d/e2e/run.mjs', 'packages/a/src/x.ts'];
    expect(unmappedSources(sources, ['apps/d/src/sections/', 'apps/d/e2e/', 'packages/a/src/'])).toEqual(['apps/d/src/b.ts', 'packages/a/src/x.ts']);
  });
});

describe('relativeLinks', () => {
  it('returns relative targets without their anchors, not URLs or in-page anchors', () => {
    const md = '[a](docs/x.md#part) [b](https://example.com) [c](#local)\n[d](../README.md) [e](mailto:x@y.z)';
    expect(relativeLinks(md)).toEqual([
      { line: 1, target: 'docs/x.md' },
      { line: 2, target: '../README.md' },
    ]);
  });
});
