import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { basicBlock, bottleneckBlock, BLOCK_VARIANTS } from './index.js';

// With the branch's last gamma (v2: last kernel) at zero, the branch outputs
// exactly beta = 0, so a freshly built block with an identity shortcut is
// relu(x + 0) = x on non-negative input (v2 has no final ReLU: x for any x).
describe('zeroInitLastGamma: a freshly built block is exactly the identity', () => {
  const xv = tf.abs(tf.randomNormal([2, 6, 6, 8], 0, 1, 'float32', 11));
  for (const variant of BLOCK_VARIANTS) {
    for (const training of [false, true]) {
      it(`basic and bottleneck, ${variant}, ${training ? 'training' : 'inference'} mode`, () => {
        const x = tfl.input({ shape: [6, 6, 8] });
        let y = basicBlock(x, { filters: 8, zeroInitLastGamma: true, variant });
        y = bottleneckBlock(y, { filters: 2, zeroInitLastGamma: true, variant });
        const m = tfl.model({ inputs: x, outputs: y });
        const out = m.apply(xv, { training }) as tf.Tensor;
        expect(tf.max(tf.abs(tf.sub(out, xv))).dataSync()[0]).toBe(0);
        out.dispose();
        m.dispose();
      });
    }
  }

  it('without zeroInitLastGamma the same block is not the identity (the test can fail)', () => {
    const x = tfl.input({ shape: [6, 6, 8] });
    const m = tfl.model({ inputs: x, outputs: basicBlock(x, { filters: 8 }) });
    const out = m.predict(xv) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(out, xv))).dataSync()[0]).toBeGreaterThan(0.1);
    out.dispose();
    m.dispose();
  });
});
