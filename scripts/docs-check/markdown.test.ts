import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { codeBlocks, inlineSpans, parseMarker } from './markdown.mjs';

const fence = '```';

describe('parseMarker', () => {
  it('reads each verb and its arguments', () => {
    expect(parseMarker('skip browser only (document)')).toEqual({ verb: 'skip', reason: 'browser only (document)' });
    expect(parseMarker('continues')).toEqual({ verb: 'continues' });
    expect(parseMarker('weights resnet50.tv2_in1k resnet18.tv_in1k')).toEqual({ verb: 'weights', tags: ['resnet50.tv2_in1k', 'resnet18.tv_in1k'] });
    expect(parseMarker('file cat.jpg from tools/fixtures/zoo/photos/chelsea.jpg')).toEqual({ verb: 'file', name: 'cat.jpg', from: 'tools/fixtures/zoo/photos/chelsea.jpg' });
  });
  it('refuses a skip without a reason, an unknown verb and a malformed file', () => {
    expect(() => parseMarker('skip')).toThrow(/needs a reason/);
    expect(() => parseMarker('skp because')).toThrow(/unknown docs-check marker 'skp'; known: skip, continues, weights, file/);
    expect(() => parseMarker('file cat.jpg')).toThrow(/'file NAME from REPO_PATH'/);
    expect(() => parseMarker('continues please')).toThrow(/takes nothing/);
  });
});

describe('codeBlocks', () => {
  it('returns each fenced block with its language, line, code and the markers above it', () => {
    const md = [
      '# Title',
      '',
      `${fence}sh`,
      'pnpm test',
      fence,
      '',
      '<!-- docs-check: skip browser only -->',
      '',
      '<!-- docs-check: file cat.jpg from photos/cat.jpg -->',
      `${fence}ts`,
      "const x = '```';",
      fence,
      '- a list item:',
      `  ${fence}js`,
      '  console.log(1);',
      '    indented();',
      `  ${fence}`,
      '~~~',
      'plain',
      '~~~',
    ].join('\n');
    expect(codeBlocks(md)).toEqual([
      { line: 3, lang: 'sh', code: 'pnpm test', markers: [] },
      { line: 10, lang: 'ts', code: "const x = '```';", markers: [{ verb: 'skip', reason: 'browser only' }, { verb: 'file', name: 'cat.jpg', from: 'photos/cat.jpg' }] },
      { line: 14, lang: 'js', code: 'console.log(1);\n  indented();', markers: [] },
      { line: 18, lang: '', code: 'plain', markers: [] },
    ]);
  });
  it('names the line of a marker that no block follows, of a bad marker and of an unclosed fence', () => {
    expect(() => codeBlocks('<!-- docs-check: continues -->\nsome prose\n')).toThrow(/line 2: a docs-check marker must be followed by a code block/);
    expect(() => codeBlocks('text\n<!-- docs-check: nope -->\n')).toThrow(/line 2: unknown docs-check marker 'nope'/);
    expect(() => codeBlocks(`${fence}ts\nopen\n`)).toThrow(/line 1: code block never closed/);
    expect(() => codeBlocks('<!-- docs-check: continues -->')).toThrow(/end of the file/);
  });
});

describe('inlineSpans', () => {
  it('finds spans in prose with their lines, joins a span wrapped over two lines and ignores fenced code', () => {
    const md = [
      'Run `pnpm test` then `pnpm run',
      'docs:build`.',
      '',
      `${fence}sh`,
      'echo `not a span`',
      fence,
      '| `a\\|b` | ``with ` tick`` |',
    ].join('\n');
    expect(inlineSpans(md)).toEqual([
      { line: 1, text: 'pnpm test' },
      { line: 1, text: 'pnpm run docs:build' },
      { line: 7, text: 'a|b' },
      { line: 7, text: 'with ` tick' },
    ]);
  });
});
