import { resolve as resolvePath } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { builtinScriptRole, createResolver, parseScriptListing } from './resolve.mjs';

// The real workspace and the real pnpm: a few cheap commands, each of which the check must get right.
const { resolve } = createResolver(resolvePath(import.meta.dirname, '../..'));
const check = (line: string) => resolve(line.split(' '));

describe("reading pnpm's own answers", () => {
  it('parses the script listing of `pnpm run`, lifecycle scripts included', () => {
    const listing = 'Lifecycle scripts:\n  test\n    node scripts/test.mjs\n\nCommands available via "pnpm run":\n  build\n    turbo run build\n  bench:train\n    turbo run build >&2 && tsx bench/src/train.ts\n';
    expect(parseScriptListing(listing)).toEqual({ test: 'node scripts/test.mjs', build: 'turbo run build', 'bench:train': 'turbo run build >&2 && tsx bench/src/train.ts' });
  });
  it("reads from a built-in's help which script it runs or yields to", () => {
    expect(builtinScriptRole('Runs a package\'s "test" script, if one was provided\n\nUsage: pnpm test')).toEqual({ runs: 'test', overriddenBy: null });
    expect(builtinScriptRole("Runs an arbitrary command specified in the package's start property of its scripts object")).toEqual({ runs: 'start', overriddenBy: null });
    expect(builtinScriptRole('Safely remove `node_modules` directories. A `clean` script in `package.json` overrides the built-in command')).toEqual({ runs: null, overriddenBy: 'clean' });
    expect(builtinScriptRole('Alias of `clean`: same behavior, except a `purge` script (not a `clean` script) overrides it when present')).toEqual({ runs: null, overriddenBy: 'purge' });
  });
});

describe('createResolver', () => {
  it("fails a command pnpm 12's built-in shadows, and passes the script run explicitly", async () => {
    expect(await check('pnpm docs')).toMatchObject({ ok: false, kind: 'pnpm built-in', detail: expect.stringMatching(/pnpm's built-in \(Usage: pnpm docs/) });
    expect(await check('pnpm run docs:build')).toMatchObject({ ok: true, kind: 'script' });
    expect(await check('pnpm test')).toMatchObject({ ok: true, kind: 'script' });
    expect(await check('pnpm run nope')).toMatchObject({ ok: false, detail: expect.stringMatching(/pnpm lists no script 'nope' for \.\/package\.json; scripts: .*docs:check/) });
  });
  it("checks our CLIs' flags against their --help, and never runs a script that does not answer --help", async () => {
    expect(await check('node scripts/examples.mjs custom')).toMatchObject({ ok: true, kind: 'cli' });
    expect(await check('node scripts/examples.mjs --nope --tiny')).toMatchObject({ ok: false, detail: 'scripts/examples.mjs: --help lists no --nope' });
    expect(await check('node scripts/docs-check/shell.mjs')).toMatchObject({ ok: false, detail: expect.stringMatching(/does not answer --help/) });
  });
  it('names what is missing: a file, a workspace package, a publishable package', async () => {
    expect(await check('node scripts/nope.mjs')).toMatchObject({ ok: false, detail: 'scripts/nope.mjs does not exist' });
    expect(await check('pnpm --filter nope build')).toMatchObject({ ok: false, detail: expect.stringMatching(/--filter nope: no workspace package of that name; known: resnet-monorepo, /) });
    expect(await check('npm install @resnet/nope')).toMatchObject({ ok: false, detail: expect.stringMatching(/@resnet\/nope is not a publishable workspace package/) });
  });
  it('dry-runs shell scripts and matches placeholders', async () => {
    expect(await check('bash tools/resnet_ddp/e2e.sh')).toMatchObject({ ok: true, kind: 'file' });
    expect(await check('pnpm tsx examples/<name>.ts')).toMatchObject({ ok: true, detail: expect.stringMatching(/examples\/<name>\.ts: \d+ match/) });
  });
});
