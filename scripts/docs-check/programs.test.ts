import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { codeBlocks } from './markdown.mjs';
// @ts-expect-error -- plain ESM script without type declarations
import { planPrograms } from './programs.mjs';

const fence = '```';
const doc = (file: string, lines: string[]) => ({ file, blocks: codeBlocks(lines.join('\n')) });

describe('planPrograms', () => {
  it('makes one program per TypeScript block, joins continued blocks and carries their markers', () => {
    const md = doc('README.md', [
      `${fence}sh`, 'pnpm test', fence,
      '<!-- docs-check: weights resnet50.tv2_in1k -->',
      '<!-- docs-check: file cat.jpg from photos/chelsea.jpg -->',
      `${fence}ts`, 'const a = 1;', fence,
      'prose',
      '<!-- docs-check: continues -->',
      `${fence}ts`, 'console.log(a);', fence,
      '<!-- docs-check: skip browser only (document) -->',
      `${fence}js`, 'document.body;', fence,
    ]);
    expect(planPrograms([md])).toEqual([
      { file: 'README.md', line: 6, lines: [6, 11], code: 'const a = 1;\nconsole.log(a);', weights: ['resnet50.tv2_in1k'], files: [{ name: 'cat.jpg', from: 'photos/chelsea.jpg' }], skip: null },
      { file: 'README.md', line: 15, lines: [15], code: 'document.body;', weights: [], files: [], skip: 'browser only (document)' },
    ]);
  });
  it('skips a block that continues a skipped one, and refuses `continues` at the top of a file', () => {
    const skipped = doc('a.md', ['<!-- docs-check: skip a fragment -->', `${fence}ts`, 'x', fence, '<!-- docs-check: continues -->', `${fence}ts`, 'y', fence]);
    expect(planPrograms([skipped])).toMatchObject([{ lines: [2, 6], skip: 'a fragment' }]);
    const orphan = doc('b.md', ['<!-- docs-check: continues -->', `${fence}ts`, 'y', fence]);
    expect(() => planPrograms([orphan])).toThrow(/b.md:2: `continues`, but no TypeScript block comes before it/);
  });
});
