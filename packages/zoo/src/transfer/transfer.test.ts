/**
 * Freezing that holds during fit (weights and BatchNorm moving statistics, the
 * trap of tfjs's plain `trainable = false` shown alongside), and head swaps.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { createModel } from '../models/create.js';
import { freezeBackbone, unfreezeBackbone } from './freeze.js';
import { replaceHead } from './replace-head.js';

// Tiny (8×8 inputs, widths 4/8/8): the cpu backend's convolution gradients are slow.
const small = () => createModel('resnet20', { widths: [4, 8, 8], numClasses: 3, inputShape: [8, 8, 3] });
const data = () => ({ x: tf.randomUniform([8, 8, 8, 3], 0, 1, 'float32', 1), y: tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3) });
const values = (m: tfl.LayersModel) => new Map(m.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
const moved = (before: Map<string, number[]>, m: tfl.LayersModel) =>
  m.weights.filter((w) => w.read().dataSync().some((v, i) => v !== before.get(w.originalName)![i])).map((w) => w.originalName);

async function train(m: tfl.LayersModel): Promise<void> {
  const { x, y } = data();
  // The models output logits (a probability loss would clip them and give zero gradients).
  m.compile({ optimizer: tf.train.sgd(0.05), loss: (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp) });
  await m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
  tf.dispose([x, y]);
}

describe('freezeBackbone', () => {
  it("tfjs's trainable = false alone lets fit move BatchNorm statistics (the trap)", async () => {
    const m = small();
    for (const l of m.layers) if (!l.name.startsWith('layer3') && l.name !== 'fc') l.trainable = false;
    const before = values(m);
    await train(m);
    expect(moved(before, m)).toContain('layer1.0.bn1/moving_mean');
    m.dispose();
  });

  it('keeps every frozen weight and moving statistic through fit; the rest trains', async () => {
    const m = small();
    const names = freezeBackbone(m, { upTo: 'layer2' });
    expect(names).toContain('conv1');
    expect(names).toContain('layer2.2.relu');
    expect(names.filter((n) => n.startsWith('layer3') || n === 'fc')).toEqual([]);
    const before = values(m);
    await train(m);
    const changed = moved(before, m);
    const frozenChanged = changed.filter((w) => names.includes(w.split('/')[0]!));
    expect(frozenChanged, 'frozen weights or statistics that moved').toEqual([]);
    expect(changed).toContain('layer3.0.conv1/kernel');
    expect(changed).toContain('layer3.0.bn1/moving_mean');
    expect(changed).toContain('fc/kernel');
    // Unfreezing restores training mode: the statistics move again.
    expect(unfreezeBackbone(m).sort()).toEqual([...names].sort());
    const again = values(m);
    await train(m);
    expect(moved(again, m)).toContain('layer1.0.bn1/moving_mean');
    m.dispose();
  });

  it('by default freezes all but the classifier, also inside another model (the Keras recipe)', async () => {
    const full = small();
    expect(freezeBackbone(full)).not.toContain('fc');
    expect(full.trainableWeights.map((w) => w.originalName)).toEqual(['fc/kernel', 'fc/bias']);
    full.dispose();
    const base = createModel('resnet20', { widths: [4, 8, 8], includeTop: false, pooling: 'avg', inputShape: [8, 8, 3] });
    freezeBackbone(base);
    const input = tfl.input({ shape: [8, 8, 3] });
    const outer = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3 }).apply(base.apply(input)) as tfl.SymbolicTensor });
    const before = values(base);
    await train(outer);
    expect(moved(before, base)).toEqual([]);
    expect(() => freezeBackbone(outer.layers[1] as tfl.LayersModel, { upTo: 'layer9' })).toThrow(/has no layer 'layer9' .*top-level names: input, conv1, bn1, relu, layer1, layer2, layer3, avgpool/);
    outer.dispose();
  });
});

describe('replaceHead', () => {
  it('puts a new classifier on the same features, frees the old one, shares the rest', () => {
    const baseline = tf.memory().numTensors;
    const m = createModel('resnet20', { widths: [4, 8, 8] });
    const conv1 = m.getLayer('conv1').getWeights()[0]!.dataSync().slice(); // (getWeights gives the variables themselves)
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 2);
    const featsBefore = tf.tidy(() => (tfl.model({ inputs: m.inputs, outputs: m.getLayer('avgpool').output }).predict(x) as tf.Tensor).arraySync());
    const tensors = tf.memory().numTensors;
    const r = replaceHead(m, 4);
    expect(r.outputs[0]!.shape).toEqual([null, 4]);
    expect(r.getLayer('fc').getWeights()[0]!.shape).toEqual([8, 4]);
    expect(r.getLayer('conv1').getWeights()[0]!.dataSync()).toEqual(conv1);
    expect(tf.memory().numTensors).toBe(tensors); // old kernel + bias freed, new ones made
    const bare = replaceHead(r, 0);
    expect(bare.outputs[0]!.shape).toEqual([null, 8]);
    expect(tf.tidy(() => (bare.predict(x) as tf.Tensor).arraySync())).toEqual(featsBefore);
    expect(() => replaceHead(bare, 2)).toThrow(/does not end in one Dense classifier .*avgpool \(GlobalAveragePooling2D\)/);
    expect(() => replaceHead(bare, 1.5)).toThrow(/non-negative integer/);
    x.dispose();
    bare.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
