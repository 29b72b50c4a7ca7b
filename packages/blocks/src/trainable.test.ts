import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { basicBlock, bottleneckBlock, ResidualAdd, ZeroPadShortcut } from './index.js';

describe('training through the custom layers', () => {
  it('ZeroPadShortcut passes the output gradient back to the kept pixels and nothing else', () => {
    const layer = new ZeroPadShortcut({ filters: 4, strides: 2 });
    const x = tf.randomNormal([1, 3, 3, 2], 0, 1, 'float32', 1);
    const g = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 2, 2, 4]);
    const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi) as tf.Tensor, g)))(x);
    // Output (i, j, 1 + k) = x(2i, 2j, k): channels 0 and 3 are padding.
    const want = new Float32Array(18);
    const gv = g.dataSync();
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++)
        for (let k = 0; k < 2; k++) want[(2 * i * 3 + 2 * j) * 2 + k] = gv[(i * 2 + j) * 4 + 1 + k]!;
    expect(Array.from(dx.dataSync())).toEqual(Array.from(want));
    tf.dispose([x, g, dx]);
  });

  it('model.fit updates every weight, the rezero alpha and the grouped kernel included', async () => {
    const x = tfl.input({ shape: [6, 6, 4] });
    let y = basicBlock(x, { filters: 8, strides: 2, shortcut: 'zero-pad', rezero: true, name: 'a' });
    y = bottleneckBlock(y, { filters: 4, groups: 2, shortcut: 'avg-down', strides: 2, name: 'b' });
    const out = tfl.layers.dense({ units: 3 }).apply(tfl.layers.globalAveragePooling2d({}).apply(y)) as tfl.SymbolicTensor;
    const m = tfl.model({ inputs: x, outputs: out });
    m.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const before = m.trainableWeights.map((w) => w.read().dataSync().slice());
    const xs = tf.randomNormal([4, 6, 6, 4], 0, 1, 'float32', 2);
    const ys = tf.randomNormal([4, 3], 0, 1, 'float32', 3);
    // Two steps: with rezero the branch gets no gradient until alpha has left 0.
    const h = await m.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(Number.isFinite(h.history.loss![0] as number)).toBe(true);
    const unchanged = m.trainableWeights.filter((w, i) => w.read().dataSync().every((v, k) => v === before[i]![k])).map((w) => w.name);
    expect(unchanged).toEqual([]);
    const junction = m.getLayer('a.add') as ResidualAdd;
    expect(junction.getWeights()[0]!.dataSync()[0]).not.toBe(0);
    tf.dispose([xs, ys]);
    m.dispose();
  });
});
