import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { basicBlock, bottleneckBlock, checkPositiveInt, checkRange, GroupedConv2D, projectionShortcut, resolveInitializer, ZeroPadShortcut, type BasicBlockArgs } from './index.js';

const x = () => tfl.input({ shape: [8, 8, 16] });
const bad = (args: unknown) => () => basicBlock(x(), args as BasicBlockArgs);

describe('bad arguments throw errors that name the argument and the valid values', () => {
  it('filters', () => {
    expect(bad({ filters: 0 })).toThrow("basicBlock: filters must be a positive integer, got 0");
    expect(bad({ filters: 2.5 })).toThrow(/filters must be a positive integer, got 2.5/);
    expect(bad({})).toThrow(/filters must be a positive integer, got undefined/);
    expect(() => bottleneckBlock(x(), { filters: -4 })).toThrow(/bottleneckBlock: filters must be a positive integer, got -4/);
  });
  it('shortcut, variant, strides', () => {
    expect(bad({ filters: 16, shortcut: 'projectoin' })).toThrow(
      /shortcut must be one of 'auto', 'identity', 'zero-pad', 'projection', 'projection-always', 'avg-down', 'none', got "projectoin"/,
    );
    expect(bad({ filters: 16, variant: 'v3' })).toThrow(/variant must be one of 'v1', 'v1.5', 'v2', got "v3"/);
    expect(bad({ filters: 16, strides: 3 })).toThrow(/strides must be 1 or 2, got 3/);
  });
  it('zero-pad that would shrink channels, identity that cannot hold', () => {
    expect(bad({ filters: 8, shortcut: 'zero-pad' })).toThrow(/shortcut 'zero-pad' cannot shrink 16 channels to 8/);
    expect(bad({ filters: 32, shortcut: 'identity' })).toThrow(/shortcut 'identity' needs an unchanged shape.*16 → 32 channels/);
    expect(bad({ filters: 16, strides: 2, shortcut: 'identity' })).toThrow(/with stride 2; use 'auto', 'projection', 'zero-pad' or 'avg-down'/);
  });
  it('input that is not rank 4', () => {
    const v = tfl.input({ shape: [16] });
    expect(() => basicBlock(v, { filters: 4 })).toThrow(/basicBlock: x must be rank 4 \[batch, height, width, channels\].*got shape \[null, 16\]/);
    expect(() => projectionShortcut(v, { filters: 4 })).toThrow(/projectionShortcut: x must be rank 4/);
    expect(() => basicBlock(undefined as never, { filters: 4 })).toThrow(/x must be a SymbolicTensor/);
  });
  it('ranges and grouped widths', () => {
    expect(bad({ filters: 16, dropPathRate: 1 })).toThrow(/dropPathRate must be a number in \[0, 1\), got 1/);
    expect(bad({ filters: 16, bnMomentum: 1.5 })).toThrow(/bnMomentum must be a number in \[0, 1\], got 1.5/);
    expect(bad({ filters: 16, groups: 2 })).toThrow(/groups must be 1 and baseWidth 64 \(as torchvision's BasicBlock\)/);
    expect(() => new GroupedConv2D({ filters: 6, kernelSize: 3, groups: 4 })).toThrow(/filters \(6\) must be divisible by groups \(4\)/);
    expect(() => new GroupedConv2D({ filters: 8, kernelSize: 3, groups: 4 }).apply(tfl.input({ shape: [4, 4, 6] }))).toThrow(
      /input channels \(6\) must be divisible by groups \(4\)/,
    );
    expect(() => new ZeroPadShortcut({ filters: 4 }).apply(x())).toThrow(/cannot shrink 16 channels to 4/);
    expect(() => bottleneckBlock(x(), { filters: 1, baseWidth: 4 })).toThrow(/width floor\(filters \* baseWidth \/ 64\) \* groups is 0/);
    expect(() => projectionShortcut(x(), { filters: 4, kind: 'max' as never })).toThrow(/kind must be 'projection' or 'avg-down', got "max"/);
  });
});

describe('the shared checks other packages build on', () => {
  it('return valid values and name the argument and the valid range otherwise', () => {
    expect(checkPositiveInt(3, 'depth')).toBe(3);
    expect(() => checkPositiveInt(0, 'depth')).toThrow('depth must be a positive integer, got 0');
    expect(checkRange(0, 'dropout', 0, 1, true)).toBe(0);
    expect(() => checkRange(1, 'dropout', 0, 1, true)).toThrow('dropout must be a number in [0, 1), got 1');
    expect(() => checkRange(Number.NaN, 'dropout', 0, 1, true)).toThrow('dropout must be a number in [0, 1), got NaN');
  });
  it('resolveInitializer takes identifiers (camel or snake case) and instances, and lists the identifiers it knows', () => {
    expect(resolveInitializer('he_normal', 'k').getConfig()).toMatchObject({ scale: 2, mode: 'fanIn' }); // heNormal = varianceScaling(2, fanIn)
    const glorot = tfl.initializers.glorotUniform({});
    expect(resolveInitializer(glorot, 'k')).toBe(glorot);
    expect(() => resolveInitializer('orthogonal', 'kernelInitializer')).toThrow("kernelInitializer: unknown initializer 'orthogonal'; valid identifiers: zeros, ones");
  });
});
