import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { bump, expectedPlan, publishedRange } from './changeset-bump.mjs';

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

describe('publishedRange', () => {
  it('turns pnpm workspace ranges into what pnpm publish writes', () => {
    expect(publishedRange('workspace:^', '0.2.0')).toBe('^0.2.0');
    expect(publishedRange('workspace:~', '0.2.0')).toBe('~0.2.0');
    expect(publishedRange('workspace:*', '0.2.0')).toBe('0.2.0');
    expect(publishedRange('workspace:^0.1.0', '0.2.0')).toBe('^0.1.0');
  });
});
