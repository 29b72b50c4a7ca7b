import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { residualAdd } from '@resnet/blocks';
import { createModel } from '@resnet/zoo';
import { describe, expect, it } from 'vitest';
import { lesion } from './lesion.js';
import { pathGradient, pathGradientByLength } from './path-gradient.js';

// A linear residual network: stem, n blocks x + W_i x, head. Being linear, its
// input gradient is exactly the sum of the gradients along its 2^n paths.
function linearResNet(n: number, width = 4): tfl.LayersModel {
  const x = tfl.input({ shape: [width] });
  const init = (seed: number) => tfl.initializers.randomNormal({ mean: 0, stddev: 0.5, seed });
  let y = tfl.layers.dense({ units: width, useBias: false, name: 'stem', kernelInitializer: init(1) }).apply(x) as tfl.SymbolicTensor;
  for (let i = 0; i < n; i++) {
    const b = tfl.layers.dense({ units: width, useBias: false, name: `layer1.${i}.fc`, kernelInitializer: init(10 + i) }).apply(y) as tfl.SymbolicTensor;
    y = residualAdd({ name: `layer1.${i}.add` }).apply([y, b]) as tfl.SymbolicTensor;
  }
  y = tfl.layers.dense({ units: 3, useBias: false, name: 'fc', kernelInitializer: init(99) }).apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: y });
}

// A loss linear in the logits, so its gradient does not depend on the forward values.
const r = tf.tensor2d([[1, -2, 0.5], [0.3, 0.7, -1]]);
const linearLoss = (logits: tf.Tensor) => tf.sum(tf.mul(logits, r)) as tf.Scalar;
const batch = { x: tf.tensor2d([[1, 2, 3, 4], [-1, 0.5, 0, 2]]), y: tf.tensor1d([0, 2], 'int32') };

describe('pathGradient', () => {
  it('sums over all 2^n paths to the full gradient of a linear network', () => {
    const n = 3;
    const m = linearResNet(n);
    const full = tf.grad((x: tf.Tensor) => linearLoss(m.apply(x) as tf.Tensor))(batch.x);
    const parts: tf.Tensor[] = [];
    for (let mask = 0; mask < 1 << n; mask++) {
      const active = [0, 1, 2].filter((i) => (mask >> i) & 1);
      parts.push(pathGradient(m, batch, active, { loss: linearLoss }));
    }
    const sum = tf.addN(parts);
    expect(Array.from(sum.dataSync()).map((v, i) => v - full.dataSync()[i]!).every((d) => Math.abs(d) < 1e-4)).toBe(true);
    tf.dispose([full, sum, ...parts]);
  });

  it('the length-0 path is the network with every branch switched off', () => {
    const m = linearResNet(3);
    const none = pathGradient(m, batch, [], { loss: linearLoss });
    const l = lesion(m, [0, 1, 2]);
    const lesioned = tf.grad((x: tf.Tensor) => linearLoss(m.apply(x) as tf.Tensor))(batch.x);
    l.restore();
    expect(none.arraySync()).toEqual(lesioned.arraySync());
    tf.dispose([none, lesioned]);
  });

  it('rejects out-of-range blocks', () => {
    expect(() => pathGradient(linearResNet(2), batch, [2])).toThrow(/block 2 is out of range; this model has 2 residual junctions \(valid 0\.\.1\)/);
  });
});

describe('pathGradientByLength', () => {
  it('reports every length, shares that sum to 1 and an effective range, without leaking tensors', async () => {
    const m = linearResNet(4);
    const before = tf.memory().numTensors;
    const rep = await pathGradientByLength(m, batch, { samples: 3, loss: linearLoss, mass: 0.8 });
    expect(tf.memory().numTensors).toBe(before);
    expect(rep.blocks).toBe(4);
    expect(rep.byLength.map((r) => r.length)).toEqual([0, 1, 2, 3, 4]);
    expect(rep.byLength.map((r) => r.samples)).toEqual([1, 3, 3, 3, 1]);
    expect(rep.byLength.map((r) => r.pathFraction)).toEqual([1, 4, 6, 4, 1].map((c) => expect.closeTo(c / 16, 14)));
    expect(rep.byLength.reduce((a, r) => a + r.gradientShare, 0)).toBeCloseTo(1, 12);
    expect(rep.effective.gradientShare).toBeGreaterThanOrEqual(0.8 - 1e-12);
    expect(rep.effective.minLength).toBeLessThanOrEqual(rep.effective.maxLength);
    // Length 0 and n have one subset each: their norm is that of the single path.
    const g0 = pathGradient(m, batch, [], { loss: linearLoss });
    expect(rep.byLength[0]!.meanNorm).toBeCloseTo(tf.norm(g0).dataSync()[0]!, 5);
    g0.dispose();
  });
  it('runs on a conv ResNet (ResNet-20, option-A shortcuts, 8×8 inputs)', async () => {
    const m = createModel('resnet20', { inputShape: [null, null, 3] });
    const b = { x: tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 5), y: tf.tensor1d([1, 7], 'int32') };
    const before = tf.memory().numTensors;
    const rep = await pathGradientByLength(m, b, { samples: 1, lengths: [0, 3, 9] });
    expect(tf.memory().numTensors).toBe(before);
    expect(rep.blocks).toBe(9);
    expect(rep.byLength.map((r) => r.length)).toEqual([0, 3, 9]);
    expect(rep.byLength.every((r) => Number.isFinite(r.meanNorm) && r.meanNorm > 0)).toBe(true);
    console.log('resnet20 at init, |grad| along one path of length k:', rep.byLength.map((r) => `k=${r.length}: ${r.meanNorm.toExponential(2)}`).join(', '));
    tf.dispose([b.x, b.y]);
    m.dispose();
  });

  it('needs junctions', async () => {
    const x = tfl.input({ shape: [2] });
    const plain = tfl.model({ inputs: x, outputs: tfl.layers.dense({ units: 2 }).apply(x) as tfl.SymbolicTensor });
    await expect(pathGradientByLength(plain, batch)).rejects.toThrow(/no ResidualAdd junctions/);
  });
});
