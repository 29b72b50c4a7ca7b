import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import fixture from './sgd.fixture.json' with { type: 'json' };
import { Sgd } from './sgd.js';

// Expected weights come from torch.optim.SGD (tools/fixtures/sgd_reference.py).
describe('Sgd', () => {
  for (const c of fixture.cases) {
    it(`matches torch.optim.SGD (momentum ${c.momentum}, nesterov ${c.nesterov}, weight decay ${c.weightDecay})`, () => {
      const v = tf.variable(tf.tensor1d(fixture.w0));
      const sgd = new Sgd({ momentum: c.momentum, nesterov: c.nesterov, weightDecay: c.weightDecay });
      const before = tf.memory().numTensors;
      fixture.grads.forEach((g, i) => {
        const grad = tf.tensor1d(g);
        sgd.step([v], [grad], fixture.lrs[i]!);
        grad.dispose();
      });
      // Momentum buffers are created on the first step and then replaced in place: nothing else may leak.
      expect(tf.memory().numTensors).toBe(before + (c.momentum > 0 ? 1 : 0));
      const got = Array.from(v.dataSync());
      got.forEach((x, i) => expect(x).toBeCloseTo(c.expected[i]!, 5));
      sgd.dispose();
      v.dispose();
    });
  }

  it('refuses optimizer state whose shapes do not match the weights', () => {
    const v = tf.variable(tf.zeros([2, 3]));
    const sgd = new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 0 });
    const bad = tf.zeros([3, 2]);
    expect(() => sgd.setState([bad], [v])).toThrow(/shape \[3,2\].*\[2,3\]/);
    bad.dispose();
    v.dispose();
  });
});
