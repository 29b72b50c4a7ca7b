import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { isCommandSpan, shellBlockCommands, splitCommands } from './shell.mjs';

const argvs = (line: string) => splitCommands(line).map((c: { argv: string[] }) => c.argv);

describe('splitCommands', () => {
  it('splits on && || ; and |, keeps quoted words and $(…) whole, drops comments and output redirections', () => {
    expect(argvs('npm run setup && pnpm start   # install, then train')).toEqual([['npm', 'run', 'setup'], ['pnpm', 'start']]);
    expect(argvs(`git commit -am "release: version packages" || true; ls | wc -l`)).toEqual([
      ['git', 'commit', '-am', 'release: version packages'],
      ['true'],
      ['ls'],
      ['wc', '-l'],
    ]);
    expect(argvs('torchrun --nproc_per_node $(nvidia-smi -L | wc -l) train.py')).toEqual([['torchrun', '--nproc_per_node', '$(nvidia-smi -L | wc -l)', 'train.py']]);
    expect(argvs('turbo run build >&2 2>/dev/null > out.txt && tsx x.ts')).toEqual([['turbo', 'run', 'build'], ['tsx', 'x.ts']]);
  });
  it("reads a synopsis' [a|b] alternatives as words, not pipes", () => {
    expect(argvs('pnpm kernels [--model resnet20|resnet50] [--reps 5]')).toEqual([['pnpm', 'kernels', '[--model', 'resnet20|resnet50]', '[--reps', '5]']]);
  });
  it('keeps placeholders and # inside words', () => {
    expect(argvs('pnpm tsx examples/<name>.ts <command> see#anchor')).toEqual([['pnpm', 'tsx', 'examples/<name>.ts', '<command>', 'see#anchor']]);
  });
  it('refuses an unclosed quote', () => {
    expect(() => splitCommands(`echo "open`)).toThrow(/unclosed "/);
  });
});

describe('shellBlockCommands', () => {
  it('joins continued lines, numbers commands by their first line and strips prompts', () => {
    const code = ['# a comment line', 'node cli.js export --out a \\', '  --to tfjs   # why', '', '$ pnpm build && bash e2e.sh'].join('\n');
    expect(shellBlockCommands(code)).toEqual([
      { line: 2, argv: ['node', 'cli.js', 'export', '--out', 'a', '--to', 'tfjs'], text: 'node cli.js export --out a --to tfjs' },
      { line: 5, argv: ['pnpm', 'build'], text: 'pnpm build' },
      { line: 5, argv: ['bash', 'e2e.sh'], text: 'bash e2e.sh' },
    ]);
  });
});

describe('isCommandSpan', () => {
  it('takes spans that start with a known program and have arguments', () => {
    expect(isCommandSpan('pnpm docs:build')).toBe(true);
    expect(isCommandSpan('/usr/bin/python3 tools/x.py')).toBe(true);
    expect(isCommandSpan('pnpm')).toBe(false);
    expect(isCommandSpan('createModel(name)')).toBe(false);
    expect(isCommandSpan('export --to torchvision')).toBe(false);
  });
});
