import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ResidualAdd } from '@resnet/blocks';
import { createModel } from './create.js';
import { buildModel, listModels } from './registry.js';
import { buildCifarResNet } from './cifar.js';
import { trainableParams } from '../testing/params.js';

/**
 * Trainable parameters of a CIFAR ResNet with n blocks per stage, by arithmetic:
 * stem conv 3·3·3·16 + BN 2·16; stage widths 16/32/64, each block two 3×3 convs
 * and two BNs; option-A shortcuts add nothing; fc 64·10 + 10.
 */
function cifarParams(n: number, [w1, w2, w3] = [16, 32, 64], inChannels = 3): number {
  const conv = (cin: number, cout: number) => 9 * cin * cout;
  const block = (cin: number, cout: number) => conv(cin, cout) + conv(cout, cout) + 4 * cout;
  const stem = conv(inChannels, w1) + 2 * w1;
  const stages = n * block(w1, w1) + block(w1, w2) + (n - 1) * block(w2, w2) + block(w2, w3) + (n - 1) * block(w3, w3);
  return stem + stages + w3 * 10 + 10;
}

describe('CIFAR family (He et al. 2015, Table 6)', () => {
  // Paper figures, in millions, for 20/32/44/56/110/1202 layers.
  const paper: Array<[string, number, number]> = [
    ['resnet20', 3, 0.27],
    ['resnet32', 5, 0.46],
    ['resnet44', 7, 0.66],
    ['resnet56', 9, 0.85],
    ['resnet110', 18, 1.7],
    ['resnet1202', 200, 19.4],
  ];
  for (const [name, n, millions] of paper) {
    it(`${name} has 6n+2 = ${6 * n + 2} layers and ${millions}M parameters`, () => {
      // zero kernels: counts do not depend on initial values, and build much faster
      const m = buildModel(name, { kernelInitializer: 'zeros' }); // a name typed string: the sync, weightless createModel
      const p = trainableParams(m);
      expect(p).toBe(cifarParams(n));
      const digits = millions < 1 ? 2 : 1;
      expect(Number((p / 1e6).toFixed(digits))).toBe(millions);
      // weighted layers: 6n convs in blocks + stem conv + fc
      expect(m.layers.filter((l) => ['Conv2D', 'Dense'].includes(l.getClassName())).length).toBe(6 * n + 2);
      expect(m.layers.filter((l) => l instanceof ResidualAdd).length).toBe(3 * n);
      m.dispose();
    }, 60_000);
  }

  it('resnet8 (n = 1) counts as the formula says: 75,290 trainable parameters', () => {
    const m = createModel('resnet8');
    expect(trainableParams(m)).toBe(cifarParams(1));
    expect(cifarParams(1)).toBe(75_290);
    expect(m.layers.filter((l) => l instanceof ResidualAdd).length).toBe(3);
    m.dispose();
  });

  it('plain twins have the same parameters and no junctions', () => {
    for (const [depth, n] of [[8, 1], [20, 3], [32, 5], [44, 7], [56, 9], [110, 18]] as const) {
      const m = createModel(`plain${depth}`);
      expect(trainableParams(m)).toBe(cifarParams(n));
      expect(m.layers.some((l) => l instanceof ResidualAdd)).toBe(false);
      m.dispose();
    }
  });

  it('resnet20 takes 32×32×3, returns logits for 10 classes, with torchvision names', () => {
    const before = tf.memory().numTensors;
    const m = createModel('resnet20');
    expect(m.inputs[0]!.shape).toEqual([null, 32, 32, 3]);
    const names = m.layers.map((l) => l.name);
    for (const n of ['conv1', 'bn1', 'layer1.0.conv1', 'layer2.0.bn2', 'layer3.2.conv2', 'layer3.2.add', 'fc']) {
      expect(names).toContain(n);
    }
    // option A: the shape-changing shortcuts exist but hold no parameters
    const downsample = m.layers.filter((l) => l.name.includes('downsample'));
    expect(downsample.map((l) => l.name)).toEqual(['layer2.0.downsample', 'layer3.0.downsample']);
    expect(downsample.every((l) => l.weights.length === 0)).toBe(true);
    const y = tf.tidy(() => m.predict(tf.zeros([2, 32, 32, 3])) as tf.Tensor);
    expect(y.shape).toEqual([2, 10]);
    y.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('options: numClasses, includeTop/pooling, features, projection shortcut', () => {
    const a = createModel('resnet20', { numClasses: 100 });
    expect(a.outputs[0]!.shape).toEqual([null, 100]);
    const b = createModel('resnet20', { includeTop: false, pooling: 'avg' });
    expect(b.outputs[0]!.shape).toEqual([null, 64]);
    const c = createModel('resnet20', { includeTop: false });
    expect(c.outputs[0]!.shape).toEqual([null, 8, 8, 64]);
    const d = createModel('resnet20', { features: true });
    expect(d.outputs.map((o) => o.shape)).toEqual([[null, 32, 32, 16], [null, 16, 16, 32], [null, 8, 8, 64]]);
    // option B: 1×1 conv + BN on the two shape-changing blocks
    const e = createModel('resnet20', { shortcut: 'projection' });
    expect(trainableParams(e)).toBe(cifarParams(3) + (16 * 32 + 2 * 32) + (32 * 64 + 2 * 64));
    for (const m of [a, b, c, d, e]) m.dispose();
  });

  it('widths narrow the stages (quick CPU experiments), at any 6n+2 depth and small inputs', () => {
    const m = buildCifarResNet(8, false, { widths: [4, 8, 8], inputShape: [8, 8, 1] });
    expect(trainableParams(m)).toBe(cifarParams(1, [4, 8, 8], 1));
    expect(m.outputs[0]!.shape).toEqual([null, 10]);
    const p = createModel('plain20', { widths: [8, 16, 32], inputShape: [32, 32, 1] });
    expect(trainableParams(p)).toBe(cifarParams(3, [8, 16, 32], 1));
    m.dispose();
    p.dispose();
  });

  it('rejects bad options with what is valid', () => {
    expect(() => createModel('plain20', { shortcut: 'zero-pad' })).toThrow(/plain nets have no shortcuts/);
    expect(() => createModel('resnet20', { inputShape: [4, 4, 3] })).toThrow(/height and width ≥ 8/);
    expect(() => createModel('resnet20', { widths: [16, 32] as never })).toThrow(/widths must be three positive integers/);
    expect(() => createModel('resnet18', { widths: [8, 16, 32] })).toThrow(/only the CIFAR family/);
    expect(() => createModel('resnet20', { numClasses: 0 })).toThrow(/resnet20: numClasses must be a positive integer, got 0/);
    expect(() => createModel('resnet20', { pooling: 'sum' as never })).toThrow(/'avg', 'max' or null/);
    expect(() => createModel('resnet20', { dropPathRate: 1 })).toThrow(/\[0, 1\)/);
    expect(() => createModel('resnet20', { colour: 1 } as never)).toThrow(/unknown option\(s\) colour/);
  });

  it('lists every model and names them in unknown-name errors', () => {
    const names = listModels();
    for (const n of ['resnet20', 'resnet1202', 'plain110', 'resnet18', 'resnet152']) expect(names).toContain(n);
    expect(listModels('cifar')).toEqual(
      ['plain110', 'plain20', 'plain32', 'plain44', 'plain56', 'plain8', 'resnet110', 'resnet1202', 'resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet8'],
    );
    expect(() => createModel('resnet51')).toThrow(/unknown model 'resnet51'; known: .*resnet50, resnet56/);
  });
});
