import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ResidualAdd } from '@resnet/blocks';
import { createModel } from './create.js';
import { buildModel, listModels } from './registry.js';
import { trainableParams } from '../testing/params.js';

// Param counts do not depend on the initial values; zero kernels build ~10x faster.
const fast = { kernelInitializer: 'zeros' } as const;

describe('ImageNet family', () => {
  it('trainable parameters equal torchvision exactly', () => {
    // torchvision 0.14 model documentation / sum(p.numel() for p in model.parameters())
    const torchvision: Record<string, number> = {
      resnet18: 11_689_512,
      resnet34: 21_797_672,
      resnet50: 25_557_032,
      resnet101: 44_549_160,
      resnet152: 60_192_808,
      wide_resnet50_2: 68_883_240,
      resnext50_32x4d: 25_028_904,
    };
    expect(listModels('imagenet')).toEqual(Object.keys(torchvision).sort());
    for (const [name, count] of Object.entries(torchvision)) {
      const m = buildModel(name, fast); // a name typed string: the sync, weightless createModel
      expect(trainableParams(m), name).toBe(count);
      m.dispose();
    }
  }, 120_000);

  it("'v1' is the Keras applications layout: conv biases, stride on the first 1×1", () => {
    const m = createModel('resnet50', { variant: 'v1', ...fast });
    // Keras ResNet50 summary: 25,636,712 total, 25,583,592 trainable, 53,120 non-trainable.
    expect(trainableParams(m)).toBe(25_583_592);
    expect(m.countParams()).toBe(25_636_712);
    const conv1 = m.getLayer('layer2.0.conv1').getConfig();
    const conv2 = m.getLayer('layer2.0.conv2').getConfig();
    expect([conv1.strides, conv2.strides]).toEqual([[2, 2], [1, 1]]);
    expect((m.getLayer('bn1').getConfig() as { epsilon: number }).epsilon).toBe(1.001e-5);
    const v15 = createModel('resnet50', fast);
    expect([v15.getLayer('layer2.0.conv1').getConfig().strides, v15.getLayer('layer2.0.conv2').getConfig().strides]).toEqual([[1, 1], [2, 2]]);
    m.dispose();
    v15.dispose();
  });

  it("'v2' (pre-activation) ends in a final norm and has no stem BN", () => {
    const m = createModel('resnet18', { variant: 'v2', ...fast, inputShape: [64, 64, 3] });
    const names = m.layers.map((l) => l.name);
    expect(names).toContain('norm');
    expect(names).not.toContain('bn1');
    const y = tf.tidy(() => (m.predict(tf.ones([1, 64, 64, 3])) as tf.Tensor).shape);
    expect(y).toEqual([1, 1000]);
    m.dispose();
  });

  it('features returns C2..C5 at strides 4, 8, 16, 32; includeTop/pooling/numClasses', () => {
    const f = createModel('resnet50', { features: true, inputShape: [64, 96, 3], ...fast });
    expect(f.outputs.map((o) => o.shape)).toEqual([
      [null, 16, 24, 256],
      [null, 8, 12, 512],
      [null, 4, 6, 1024],
      [null, 2, 3, 2048],
    ]);
    const b = createModel('resnet18', { includeTop: false, pooling: 'max', inputShape: [null, null, 3], ...fast });
    expect(b.outputs[0]!.shape).toEqual([null, 512]);
    const c = createModel('resnet18', { numClasses: 10, ...fast });
    expect(c.outputs[0]!.shape).toEqual([null, 10]);
    expect(trainableParams(c)).toBe(11_689_512 - 513 * 1000 + 513 * 10);
    for (const m of [f, b, c]) m.dispose();
  });

  it('accepts any input ≥ 32 and odd sizes (explicit PyTorch padding)', () => {
    const before = tf.memory().numTensors;
    const m = createModel('resnet18', { inputShape: [null, null, 3], ...fast });
    const shapes = tf.tidy(() => [33, 45].map((s) => (m.predict(tf.ones([1, s, s, 3])) as tf.Tensor).shape));
    expect(shapes).toEqual([[1, 1000], [1, 1000]]);
    const names = m.layers.map((l) => l.name);
    for (const n of ['conv1', 'bn1', 'maxpool', 'layer1.0.conv1', 'layer2.0.downsample.0', 'layer2.0.downsample.1', 'layer4.1.bn2', 'fc']) {
      expect(names).toContain(n);
    }
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('zeroInitResidual zeroes the last BN gamma of every block; dropPathRate rises linearly to the last block', () => {
    const m = createModel('resnet50', { zeroInitResidual: true, dropPathRate: 0.3, kernelInitializer: 'zeros' });
    const gammas = [...m.getLayer('layer3.5.bn3').getWeights()[0]!.dataSync()];
    expect(gammas.every((g) => g === 0)).toBe(true);
    expect([...m.getLayer('layer3.5.bn2').getWeights()[0]!.dataSync()].every((g) => g === 1)).toBe(true);
    const rates = m.layers.filter((l): l is ResidualAdd => l instanceof ResidualAdd).map((l) => l.dropPathRate);
    expect(rates.length).toBe(16);
    // timm: block i of n gets rate * i / (n - 1)
    rates.forEach((r, i) => expect(r).toBeCloseTo((0.3 * i) / 15, 12));
    m.dispose();
  });
});
