import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { basicBlock, bottleneckBlock } from './index.js';

// tfjs-layers 4.22 itself keeps one tensor per `model.apply(concreteTensor)` call,
// even for a model that is a single ReLU (measured below as the baseline), so the
// check is that our layers add nothing on top of that.
function leakPerStep(build: (x: tfl.SymbolicTensor) => tfl.SymbolicTensor): { predict: number; train: number } {
  const x = tfl.input({ shape: [6, 6, 4] });
  const m = tfl.model({ inputs: x, outputs: build(x) });
  const xv = tf.randomNormal([2, 6, 6, 4], 0, 1, 'float32', 5);
  const predict = () => tf.dispose(m.predict(xv) as tf.Tensor);
  const train = () => tf.tidy(() => tf.grad((xi: tf.Tensor) => tf.sum(m.apply(xi, { training: true }) as tf.Tensor))(xv));
  const measure = (f: () => void) => {
    f(); // the first call may create lazily cached tensors
    const before = tf.memory().numTensors;
    f();
    f();
    return (tf.memory().numTensors - before) / 2;
  };
  const out = { predict: measure(predict), train: measure(train) };
  xv.dispose();
  m.dispose();
  return out;
}

describe('no tensor leaks', () => {
  it('predict, and training-mode gradients through every custom layer, leak nothing beyond tfjs-layers itself', () => {
    const baseline = leakPerStep((x) => tfl.layers.reLU({}).apply(x) as tfl.SymbolicTensor);
    const blocks = leakPerStep((x) => {
      const y = basicBlock(x, { filters: 8, strides: 2, shortcut: 'zero-pad', rezero: true, dropPathRate: 0.2 });
      return bottleneckBlock(y, { filters: 4, groups: 2, strides: 2, shortcut: 'avg-down', variant: 'v2' });
    });
    expect(blocks.predict).toBe(0);
    expect(baseline.predict).toBe(0);
    expect(blocks.train).toBe(baseline.train);
  });
});
