import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { residualAdd } from '@resnet/blocks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lesionStudy } from './lesion-study.js';
import { mnistSlice } from './testing/mnist.js';

// Veit et al. (2016) §4 in miniature. Two small networks of six blocks each,
// identical except for the shortcuts, are trained for a few seconds on real
// MNIST digits (14×14, flattened); then each block is deleted in turn. Dense
// blocks (fc → ReLU → fc [→ + α·branch] → ReLU) keep the training inside the
// unit-test budget on the pure-JS cpu backend, whose conv gradients are slow.
// Without BatchNorm, the residual net uses ReZero (a learned branch scale α,
// initialised at 0, Bachlechner et al. 2020) and both nets He initialisation.
const BLOCKS = 6;
const WIDTH = 32;

function net(residual: boolean): tfl.LayersModel {
  let seed = residual ? 100 : 200;
    const init = () => tfl.initializers.heNormal({ seed: seed++ });
  const x = tfl.input({ shape: [196] });
  let y = tfl.layers.dense({ units: WIDTH, activation: 'relu', name: 'stem', kernelInitializer: init() }).apply(x) as tfl.SymbolicTensor;
  for (let i = 0; i < BLOCKS; i++) {
    const p = `layer1.${i}`;
    let b = tfl.layers.dense({ units: WIDTH, name: `${p}.fc1`, kernelInitializer: init() }).apply(y) as tfl.SymbolicTensor;
    b = tfl.layers.reLU({ name: `${p}.relu1` }).apply(b) as tfl.SymbolicTensor;
    b = tfl.layers.dense({ units: WIDTH, name: `${p}.fc2`, kernelInitializer: init() }).apply(b) as tfl.SymbolicTensor;
    if (residual) b = residualAdd({ name: `${p}.add`, rezero: true }).apply([y, b]) as tfl.SymbolicTensor;
    y = tfl.layers.reLU({ name: `${p}.relu` }).apply(b) as tfl.SymbolicTensor;
  }
  y = tfl.layers.dense({ units: 10, name: 'fc', kernelInitializer: init() }).apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: y });
}

// 28×28 → 14×14 by 2×2 averaging, flattened.
function features(x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => tf.reshape(tf.avgPool(x, 2, 2, 'valid'), [x.shape[0], 196]) as tf.Tensor2D);
}

describe('lesionStudy on trained networks', () => {
  const data = { train: { x: tf.zeros([0]), y: tf.zeros([0]) }, test: { x: tf.zeros([0]), y: tf.zeros([0]) } };
  beforeAll(() => {
    const train = mnistSlice(150, 0);
    const test = mnistSlice(50, 150);
    // A fixed interleaving (classes alternate) stands in for shuffling, so runs repeat.
    data.train = { x: features(train.x), y: train.y };
    data.test = { x: features(test.x), y: test.y };
    tf.dispose([train.x, test.x]);
  });
  afterAll(() => tf.dispose([data.train.x, data.train.y, data.test.x, data.test.y]));

  it('removing one block hurts the residual network far less than its plain twin', async () => {
    const results: Record<string, Awaited<ReturnType<typeof lesionStudy>>> = {};
    for (const residual of [true, false]) {
      const m = net(residual);
      // The models output logits, as torchvision's.
      m.compile({ optimizer: tf.train.adam(3e-3), loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
      const oneHot = tf.oneHot(data.train.y as tf.Tensor1D, 10);
      const t0 = Date.now();
      await m.fit(data.train.x, oneHot, { epochs: 10, batchSize: 100, shuffle: false, verbose: 0 });
      console.log(`${residual ? 'residual' : 'plain'} trained in ${Date.now() - t0} ms`);
      oneHot.dispose();
      const before = tf.memory().numTensors;
      results[residual ? 'residual' : 'plain'] = await lesionStudy(m, data.test);
      expect(tf.memory().numTensors).toBe(before);
      if (residual) {
        // For a block whose input is post-ReLU, gate 0 and deleting the block are the same function.
        const skip = await lesionStudy(m, data.test, { method: 'skip' });
        expect(skip.blocks.map((b) => [b.name, b.error])).toEqual(results.residual!.blocks.map((b) => [b.name, b.error]));
      }
      m.dispose();
    }
    const res = results.residual!;
    const plain = results.plain!;
    expect(res.method).toBe('gate');
    expect(plain.method).toBe('skip');
    expect(res.blocks.map((b) => b.name)).toEqual(plain.blocks.map((b) => b.name));
    const mean = (r: typeof res) => r.blocks.reduce((a, b) => a + b.increase, 0) / r.blocks.length;
    const fmt = (r: typeof res) => r.blocks.map((b) => (100 * b.error).toFixed(1)).join(' ');
    console.log(`test error (500 digits), intact: residual ${(100 * res.baselineError).toFixed(1)}%, plain ${(100 * plain.baselineError).toFixed(1)}%`);
    console.log(`with block i removed, residual: ${fmt(res)}`);
    console.log(`with block i removed, plain:    ${fmt(plain)}`);
    // Both nets learned the task.
    expect(res.baselineError).toBeLessThan(0.2);
    expect(plain.baselineError).toBeLessThan(0.2);
    // The direction of Veit et al.'s Figure 3, with a wide margin.
    expect(mean(res)).toBeLessThan(mean(plain) / 4);
    expect(Math.max(...res.blocks.map((b) => b.increase))).toBeLessThan(Math.max(...plain.blocks.map((b) => b.increase)));
  });

  it('explains what cannot be removed', async () => {
    const x = tfl.input({ shape: [4] });
    const y = tfl.layers.dense({ units: 3, name: 'layer1.0.fc' }).apply(x) as tfl.SymbolicTensor;
    const m = tfl.model({ inputs: x, outputs: tfl.layers.dense({ units: 2, name: 'fc' }).apply(y) as tfl.SymbolicTensor });
    const d = { x: tf.zeros([2, 4]), y: tf.tensor1d([0, 1], 'int32') };
    await expect(lesionStudy(m, d, { blocks: ['layer1.0'] })).rejects.toThrow(/block 'layer1.0' cannot be skipped: it maps \[\[null,4\]\] to \[\[null,3\]\]/);
    await expect(lesionStudy(m, d, { blocks: ['layer9'] })).rejects.toThrow(/no block named 'layer9'; known: layer1.0/);
    await expect(lesionStudy(m, d, { method: 'gate' })).rejects.toThrow(/needs ResidualAdd junctions/);
    expect((await lesionStudy(m, d)).blocks).toEqual([]);
  });
});
