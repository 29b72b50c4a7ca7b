import * as tf from '@tensorflow/tfjs-core';
import { input, model, models } from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { densenet, densenet121, densenet161, densenet169, densenet201, densenetBC100 } from './densenet.js';
import { denseBlock, denseLayer, transition } from './parts.js';
import { expectSamePredictions } from '../test-utils.js';

const trainable = (m: LayersModel) => m.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
const channelsOf = (m: LayersModel, layer: string) => (m.getLayer(layer).outputShape as number[]).at(-1);

describe('DenseNet parts', () => {
  it('a dense layer adds k channels through a 4k bottleneck; a block concatenates c + n·k', () => {
    const inp = input({ shape: [8, 8, 5] });
    const y = denseLayer(inp, { growthRate: 3, name: 'l' });
    expect(y.shape).toEqual([null, 8, 8, 3]);
    const m = model({ inputs: inp, outputs: y });
    // norm1 2·5, conv1 5·12, norm2 2·12 (+ moving stats), conv2 3·3·12·3.
    expect(trainable(m)).toBe(10 + 60 + 24 + 324);
    expect(m.getLayer('l.conv1').outputShape).toEqual([null, 8, 8, 12]);
    const b = denseBlock(inp, { numLayers: 4, growthRate: 3, name: 'b' });
    expect(b.shape).toEqual([null, 8, 8, 5 + 4 * 3]);
    const t = transition(b, { name: 't' });
    expect(t.shape).toEqual([null, 4, 4, Math.floor(17 / 2)]);
    expect(() => denseLayer(inp, { growthRate: 0 })).toThrow(/growthRate must be a positive integer/);
    expect(() => transition(inp, { compression: 0 })).toThrow(/compression must be in \(0, 1\]/);
  });

  it('the block output begins with its input channels, unchanged (concatenation order)', () => {
    const inp = input({ shape: [4, 4, 2] });
    const m = model({ inputs: inp, outputs: denseBlock(inp, { numLayers: 2, growthRate: 2, name: 'b' }) });
    const x = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 5);
    const y = m.predict(x) as tf.Tensor;
    const head = tf.slice(y, [0, 0, 0, 0], [1, 4, 4, 2]);
    expect(Array.from(head.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, y, head]);
    m.dispose();
  });
});

describe('DenseNet builders', () => {
  // Published torchvision counts (sum of p.numel() over parameters(), which excludes the
  // BN running statistics, as tfjs' trainable weights do).
  const cases: Array<[string, (o?: object) => LayersModel, number, number[]]> = [
    ['densenet121', densenet121, 7_978_856, [6, 12, 24, 16]],
    ['densenet161', densenet161, 28_681_000, [6, 12, 36, 24]],
    ['densenet169', densenet169, 14_149_480, [6, 12, 32, 32]],
    ['densenet201', densenet201, 20_013_928, [6, 12, 48, 32]],
  ];
  it.each(cases)('%s has torchvision\'s trainable parameter count and channel arithmetic', (name, build, params, blocks) => {
    const m = build();
    expect(trainable(m)).toBe(params);
    const k = name === 'densenet161' ? 48 : 32;
    let c = name === 'densenet161' ? 96 : 64;
    let hw = 56; // 224 → conv0 /2 → pool0 /2
    expect(m.getLayer('features.pool0').outputShape).toEqual([null, 56, 56, c]);
    blocks.forEach((n, i) => {
      c += n * k;
      expect(m.getLayer(`features.denseblock${i + 1}.concat${n}`).outputShape).toEqual([null, hw, hw, c]);
      if (i < blocks.length - 1) {
        c = Math.floor(c / 2);
        hw /= 2;
        expect(m.getLayer(`features.transition${i + 1}.pool`).outputShape).toEqual([null, hw, hw, c]);
      }
    });
    expect(channelsOf(m, 'features.norm5')).toBe(c);
    expect(m.getLayer('classifier').outputShape).toEqual([null, 1000]);
    m.dispose();
  });

  it('uses torchvision module names', () => {
    const m = densenet({ growthRate: 4, blockConfig: [2, 2], numInitFeatures: 8, inputShape: [32, 32, 3], numClasses: 3 });
    const weighted = m.layers.filter((l) => l.weights.length > 0).map((l) => l.name);
    expect(weighted).toEqual([
      'features.conv0', 'features.norm0',
      'features.denseblock1.denselayer1.norm1', 'features.denseblock1.denselayer1.conv1',
      'features.denseblock1.denselayer1.norm2', 'features.denseblock1.denselayer1.conv2',
      'features.denseblock1.denselayer2.norm1', 'features.denseblock1.denselayer2.conv1',
      'features.denseblock1.denselayer2.norm2', 'features.denseblock1.denselayer2.conv2',
      'features.transition1.norm', 'features.transition1.conv',
      'features.denseblock2.denselayer1.norm1', 'features.denseblock2.denselayer1.conv1',
      'features.denseblock2.denselayer1.norm2', 'features.denseblock2.denselayer1.conv2',
      'features.denseblock2.denselayer2.norm1', 'features.denseblock2.denselayer2.conv1',
      'features.denseblock2.denselayer2.norm2', 'features.denseblock2.denselayer2.conv2',
      'features.norm5', 'classifier',
    ]);
    m.dispose();
  });

  it('densenetBC100 matches the paper\'s layout and the parameter arithmetic (769,162 at 10 classes)', () => {
    const m = densenetBC100();
    // Arithmetic: 3x3 stem to 24; each bottleneck layer on c channels: BN 2c, 1x1 c·48,
    // BN 96, 3x3 48·12·9; transition on c: BN 2c, 1x1 c·floor(c/2); norm5 2c; fc 10c + 10.
    let c = 24;
    let expected = 3 * 3 * 3 * 24;
    for (let b = 0; b < 3; b++) {
      for (let l = 0; l < 16; l++) {
        expected += 2 * c + c * 48 + 96 + 9 * 48 * 12;
        c += 12;
      }
      expect(channelsOf(m, `features.denseblock${b + 1}.concat16`)).toBe(c);
      if (b < 2) {
        expected += 2 * c + c * Math.floor(c / 2);
        c = Math.floor(c / 2);
      }
    }
    expected += 2 * c + 10 * c + 10;
    expect([24 + 16 * 12, 108 + 16 * 12, 150 + 16 * 12]).toEqual([216, 300, 342]);
    expect(trainable(m)).toBe(expected);
    // torchvision's DenseNet(12, (16, 16, 16), 24, 4, num_classes=10) has 772,090; its 7x7
    // stem (3,528) and norm0 (48) replaced by the 3x3 stem (648) gives 769,162.
    expect(expected).toBe(772_090 - 3528 - 48 + 648);
    expect(m.getLayer('features.transition2.pool').outputShape).toEqual([null, 8, 8, 150]);
    expect(m.outputs[0]!.shape).toEqual([null, 10]);
    m.dispose();
  });

  it('includeTop: false gives features or pooled vectors; bad options are named', () => {
    const opts = { growthRate: 4, blockConfig: [1], numInitFeatures: 8, inputShape: [16, 16, 3] as [number, number, number] };
    const f = densenet({ ...opts, includeTop: false });
    expect(f.outputs[0]!.shape).toEqual([null, 4, 4, 12]);
    const p = densenet({ ...opts, includeTop: false, pooling: 'max' });
    expect(p.outputs[0]!.shape).toEqual([null, 12]);
    expect(() => densenet({ ...opts, pooling: 'sum' as 'avg' })).toThrow(/pooling must be 'avg', 'max'/);
    expect(() => densenet({ ...opts, blockConfig: [] })).toThrow(/at least one dense block/);
    expect(() => densenet({ ...opts, stem: 'tiny' as 'cifar' })).toThrow(/stem must be 'imagenet' or 'cifar'/);
    f.dispose();
    p.dispose();
  });

  it('round-trips through model.json and predicts the same logits without leaking tensors', async () => {
    const m = densenet({ growthRate: 4, blockConfig: [2, 1], numInitFeatures: 8, inputShape: [32, 32, 3], numClasses: 5 });
    const loaded = await models.modelFromJSON(m.toJSON(null, false) as never);
    loaded.setWeights(m.getWeights());
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 2);
    expectSamePredictions(m, loaded, x);
    x.dispose();
    m.dispose();
    loaded.dispose();
  });
});
