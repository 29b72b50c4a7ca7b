import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { basicBlock, bottleneckBlock, projectionShortcut, type BasicBlockArgs, type BottleneckArgs } from '@resnet/blocks';
import { describe, expect, it } from 'vitest';
import { basicBlockParams, bottleneckBlockParams, projectionShortcutParams, type BlockSpec } from './formulas.js';
import { countParams } from './params.js';

function blockModel(shape: number[], build: (x: tfl.SymbolicTensor) => tfl.SymbolicTensor): tfl.LayersModel {
  const x = tfl.input({ shape });
  return tfl.model({ inputs: x, outputs: build(x) });
}

describe('countParams', () => {
  it('counts one basic block with projection by hand, in both conventions', () => {
    const m = blockModel([8, 8, 16], (x) => basicBlock(x, { filters: 32, strides: 2, name: 'layer2.0' }));
    // conv1 3·3·16·32 + bn1 2·32 + conv2 3·3·32·32 + bn2 2·32 + downsample 1·1·16·32 + bn 2·32
    const torch = 4608 + 64 + 9216 + 64 + 512 + 64;
    const t = countParams(m, { convention: 'torch' });
    expect(t).toMatchObject({ convention: 'torch', trainable: torch, nonTrainable: 0, total: torch });
    const k = countParams(m, { convention: 'keras' });
    // + moving mean and variance of the three BNs: 3 · 2 · 32
    expect(k).toMatchObject({ trainable: torch, nonTrainable: 192, total: torch + 192 });
    expect(k.total).toBe(m.countParams());
    expect(countParams(m).convention).toBe('keras');
    const conv1 = t.byLayer.find((l) => l.name === 'layer2.0.conv1')!;
    expect(conv1).toMatchObject({ className: 'Conv2D', block: 'layer2.0', total: 4608 });
    expect(t.byBlock).toEqual([
      { name: 'stem', layers: 1, trainable: 0, nonTrainable: 0, total: 0 },
      { name: 'layer2.0', layers: t.byLayer.length - 1, trainable: torch, nonTrainable: 0, total: torch },
    ]);
  });

  it('puts frozen weights under non-trainable but still counts them in the torch convention', () => {
    const m = blockModel([4, 4, 8], (x) => basicBlock(x, { filters: 8, name: 'layer1.0' }));
    const before = countParams(m, { convention: 'torch' });
    for (const l of m.layers) l.trainable = false;
    const after = countParams(m, { convention: 'torch' });
    expect(after).toMatchObject({ trainable: 0, nonTrainable: before.total, total: before.total });
    expect(countParams(m, { convention: 'keras' }).total).toBe(m.countParams());
  });

  it('rejects an unknown convention, naming the valid ones', () => {
    const m = blockModel([4, 4, 8], (x) => basicBlock(x, { filters: 8 }));
    expect(() => countParams(m, { convention: 'pytorch' as 'torch' })).toThrow(/'torch', 'keras', got "pytorch"/);
  });
});

describe('analytic block formulas agree with built blocks', () => {
  const basics: Array<[number[], BasicBlockArgs]> = [
    [[8, 8, 16], { filters: 16 }],
    [[8, 8, 16], { filters: 32, strides: 2 }],
    [[8, 8, 16], { filters: 32, strides: 2, shortcut: 'zero-pad' }],
    [[8, 8, 16], { filters: 16, shortcut: 'projection-always', variant: 'v1' }],
    [[8, 8, 16], { filters: 32, strides: 2, variant: 'v2' }],
    [[8, 8, 16], { filters: 32, strides: 2, shortcut: 'avg-down', rezero: true }],
    [[8, 8, 16], { filters: 16, shortcut: 'none' }],
  ];
  const bottlenecks: Array<[number[], BottleneckArgs]> = [
    [[8, 8, 64], { filters: 64 }],
    [[8, 8, 256], { filters: 64 }],
    [[8, 8, 256], { filters: 128, strides: 2, variant: 'v1' }],
    [[8, 8, 64], { filters: 64, variant: 'v2' }],
    [[8, 8, 64], { filters: 64, groups: 8, baseWidth: 4 }],
    [[8, 8, 64], { filters: 64, baseWidth: 128 }],
  ];
  const spec = (shape: number[], a: BasicBlockArgs | BottleneckArgs): BlockSpec => ({ inChannels: shape[2]!, ...a } as BlockSpec);

  it.each(basics)('basic block %j %j', (shape, args) => {
    const m = blockModel(shape, (x) => basicBlock(x, args));
    for (const convention of ['torch', 'keras'] as const) {
      const { trainable, nonTrainable, total } = countParams(m, { convention });
      expect(basicBlockParams(spec(shape, args), convention)).toEqual({ trainable, nonTrainable, total });
    }
  });

  it.each(bottlenecks)('bottleneck block %j %j', (shape, args) => {
    const m = blockModel(shape, (x) => bottleneckBlock(x, args));
    for (const convention of ['torch', 'keras'] as const) {
      const { trainable, nonTrainable, total } = countParams(m, { convention });
      expect(bottleneckBlockParams(spec(shape, args), convention)).toEqual({ trainable, nonTrainable, total });
    }
  });

  it('projection shortcut', () => {
    const m = blockModel([8, 8, 64], (x) => projectionShortcut(x, { filters: 256, strides: 2 }));
    expect(projectionShortcutParams(64, 256, { convention: 'torch' }).total).toBe(64 * 256 + 2 * 256);
    expect(projectionShortcutParams(64, 256, { convention: 'torch' }).total).toBe(countParams(m, { convention: 'torch' }).total);
    expect(projectionShortcutParams(64, 256).total).toBe(m.countParams());
  });

  it('ResNet-50 layer1.0 by hand (torchvision Bottleneck(64, 64) with downsample): 75,008 parameters', () => {
    // 64·64 + 128 + 9·64·64 + 128 + 64·256 + 512 + 64·256 + 512
    expect(bottleneckBlockParams({ inChannels: 64, filters: 64 }, 'torch').total).toBe(75008);
  });
});

describe('no tensor leaks', () => {
  it('countParams allocates no tensors', () => {
    const m = blockModel([4, 4, 8], (x) => basicBlock(x, { filters: 8 }));
    const n = tf.memory().numTensors;
    countParams(m);
    expect(tf.memory().numTensors).toBe(n);
  });
});
