import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { bump, expectedPlan, pendingChangesets, publishedRange } from './changeset-bump.mjs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pkg = (name: string, extra: Record<string, unknown> = {}) => ({ dir: `/x/${name}`, json: { name, version: '0.1.0', ...extra } });

describe('bump', () => {
  it('bumps x.y.z by semver rules', () => {
    expect(bump('0.1.0', 'minor')).toBe('0.2.0');
    expect(bump('0.1.3', 'patch')).toBe('0.1.4');
    expect(bump('1.4.2', 'major')).toBe('2.0.0');
    expect(bump('1.4.2', 'minor')).toBe('1.5.0');
  });
  it('rejects what it cannot bump, saying what is valid', () => {
    expect(() => bump('1.0.0-beta.1', 'patch')).toThrow(/expected x\.y\.z/);
    expect(() => bump('1.0.0', 'huge')).toThrow(/valid: major, minor, patch/);
  });
});

describe('expectedPlan', () => {
  it('bumps runtime dependents (transitively) with a patch, and nothing else', () => {
    const plan = expectedPlan([
      pkg('@resnet/blocks'),
      pkg('@resnet/residual', { dependencies: { '@resnet/blocks': 'workspace:^' } }),
      pkg('@resnet/zoo', { dependencies: { '@resnet/residual': 'workspace:^' } }),
      pkg('@resnet/analysis', { peerDependencies: { '@resnet/blocks': 'workspace:^' }, devDependencies: { '@resnet/zoo': 'workspace:^' } }),
      pkg('@resnet/backend', { devDependencies: { '@resnet/blocks': 'workspace:^' } }),
      pkg('resnet-train', { private: true, dependencies: { '@resnet/blocks': 'workspace:*' } }),
    ]);
    expect([...plan.entries()].sort()).toEqual([
      ['@resnet/analysis', 'patch'],
      ['@resnet/blocks', 'minor'],
      ['@resnet/residual', 'patch'],
      ['@resnet/zoo', 'patch'],
    ]);
  });
});

describe('pending changesets', () => {
  it('are read from .changeset/*.md (highest bump per package) and join the plan', () => {
    const root = mkdtempSync(join(tmpdir(), 'changesets-'));
    try {
      mkdirSync(join(root, '.changeset'));
      writeFileSync(join(root, '.changeset', 'README.md'), '# Changesets\n');
      writeFileSync(join(root, '.changeset', 'a.md'), '---\n"@resnet/backend": minor\n"@resnet/zoo": patch\n---\n\nFaster.\n');
      writeFileSync(join(root, '.changeset', 'b.md'), "---\n'@resnet/zoo': minor\n---\n\nMore.\n");
      const pending = pendingChangesets(root);
      expect([...pending.entries()].sort()).toEqual([['@resnet/backend', 'minor'], ['@resnet/zoo', 'minor']]);
      const plan = expectedPlan([
        pkg('@resnet/blocks'),
        pkg('@resnet/zoo', { dependencies: { '@resnet/blocks': 'workspace:^' } }),
        pkg('@resnet/backend'),
        pkg('@resnet/analysis'),
      ], pending);
      // zoo keeps its own minor (not downgraded to the dependents' patch); analysis is untouched
      expect([...plan.entries()].sort()).toEqual([['@resnet/backend', 'minor'], ['@resnet/blocks', 'minor'], ['@resnet/zoo', 'minor']]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('publishedRange', () => {
  it('turns pnpm workspace ranges into what pnpm publish writes', () => {
    expect(publishedRange('workspace:^', '0.2.0')).toBe('^0.2.0');
    expect(publishedRange('workspace:~', '0.2.0')).toBe('~0.2.0');
    expect(publishedRange('workspace:*', '0.2.0')).toBe('0.2.0');
    expect(publishedRange('workspace:^0.1.0', '0.2.0')).toBe('^0.1.0');
  });
});
