import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { extensionlessImports } from './relative-imports.mjs';

// Quotes added at run time, so the lint does not flag this file's own test sources.
const q = (specifier: string) => `'${specifier}'`;

describe('extensionlessImports', () => {
  it('flags static, re-export, side-effect and dynamic imports without an extension, with their lines', () => {
    const src = [`import { a } from ${q('./a')};`, `export * from ${q('../b')};`, `import ${q('./c')};`, `const d = await import(${q('./d/index')});`, `import {\n  e,\n} from ${q('..')};`].join('\n');
    expect(extensionlessImports(src)).toEqual([
      { line: 1, specifier: './a' },
      { line: 2, specifier: '../b' },
      { line: 3, specifier: './c' },
      { line: 4, specifier: './d/index' },
      { line: 7, specifier: '..' },
    ]);
  });
  it('accepts .js, .mjs, .json and .css files and leaves package imports alone', () => {
    const src = [`import { a } from ${q('./a.js')};`, `import m from ${q('../m.mjs')};`, `import j from ${q('./j.json')};`, `import ${q('./style.css')};`, `import * as tf from ${q('@tensorflow/tfjs-core')};`].join('\n');
    expect(extensionlessImports(src)).toEqual([]);
  });
});
