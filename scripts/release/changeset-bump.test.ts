import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { publishedRange, unreleasedDependents } from './changeset-bump.mjs';

const pkg = (name: string, extra: Record<string, unknown> = {}) => ({ dir: `/x/${name}`, json: { name, version: '0.1.0', ...extra } });

describe('unreleasedDependents', () => {
  const pkgs = [
    pkg('@resnet/blocks'),
    pkg('@resnet/residual', { dependencies: { '@resnet/blocks': 'workspace:^' } }),
    pkg('@resnet/analysis', { peerDependencies: { '@resnet/blocks': 'workspace:^' }, devDependencies: { '@resnet/zoo': 'workspace:^' } }),
    pkg('@resnet/backend', { devDependencies: { '@resnet/blocks': 'workspace:^' } }),
    pkg('resnet-train', { private: true, dependencies: { '@resnet/blocks': 'workspace:*' } }),
  ];
  it('names the public runtime dependents of a released package that the plan leaves out', () => {
    expect(unreleasedDependents(pkgs, new Map([['@resnet/blocks', 'minor']]))).toEqual(['@resnet/residual', '@resnet/analysis']);
  });
  it('is empty when they are released; devDependencies and private packages do not count', () => {
    const plan = new Map([['@resnet/blocks', 'minor'], ['@resnet/residual', 'patch'], ['@resnet/analysis', 'patch']]);
    expect(unreleasedDependents(pkgs, plan)).toEqual([]);
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
