import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { examplePrelude, exampleCode, publicApi } from './jsdoc-examples.mjs';

const fence = '```';

describe('exampleCode', () => {
  it('takes the fenced blocks of an @example, or its whole text when it has none', () => {
    expect(exampleCode(`Builds one.\n${fence}ts\nconst a = 1;\n${fence}\nand\n${fence}\nb();\n${fence}\n`)).toBe('const a = 1;\n\nb();');
    expect(exampleCode('const a = 1;\n\n')).toBe('const a = 1;');
  });
});

describe('examplePrelude', () => {
  const names = ['createModel', 'listModels', 'resnet18'];
  it("imports tf and the package's names the code uses, not those it imports itself or reads as properties", () => {
    expect(examplePrelude("const m = createModel('resnet18');\nm.listModels;", 'zoo', names)).toBe(
      "import '@tensorflow/tfjs';\nimport * as tf from '@tensorflow/tfjs';\nimport { createModel } from '@resnet/zoo';\n",
    );
    expect(examplePrelude("import * as tf from '@tensorflow/tfjs';\nimport { resnet18 as r } from '@resnet/zoo';\nconst e = { ...listModels() };", 'zoo', names)).toBe(
      "import { listModels } from '@resnet/zoo';\n",
    );
  });
});

describe('publicApi', () => {
  it("lists a package's functions and classes (callable constants too) with their @example code, and no types", () => {
    const api = publicApi(resolve(import.meta.dirname, '../..'), ['blocks']);
    const byName = Object.fromEntries(api.map((a: { name: string }) => [a.name, a]));
    expect(byName.basicBlock).toMatchObject({ pkg: 'blocks', kind: 'function', file: 'packages/blocks/src/basic-block.ts' });
    expect(byName.ResidualAdd.kind).toBe('class');
    expect(byName.basicBlock.examples[0]).toContain('basicBlock(x, {');
    expect(byName.BasicBlockArgs).toBeUndefined(); // an interface
    expect(byName.SHORTCUT_TYPES).toBeUndefined(); // a constant that is not callable
  });
});
