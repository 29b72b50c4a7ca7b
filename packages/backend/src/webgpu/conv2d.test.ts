import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONV_CASES, DEPTHWISE_CASES, convAndGrads, depthwiseGrads } from '../kernel-cases.js';
import { maxRelDiff, values } from '../wasm/test-utils.js';
import { expectSameAsCpu, run, useWebgpu } from './test-utils.js';

describe('webgpu convolutions and their gradients match the cpu backend (the wasm tests\' cases)', () => {
  beforeAll(useWebgpu);
  afterAll(() => tf.setBackend('cpu'));

  for (const c of CONV_CASES) {
    it(`conv2d x ${c.x.join('x')}, filter ${c.f.join('x')}, strides ${String(c.strides)}, pad ${JSON.stringify(c.pad)}: y, dx, dw, fused y, dx, dw, dbias`, () =>
      expectSameAsCpu(() => convAndGrads(c)));
  }

  for (const c of DEPTHWISE_CASES) {
    it(`depthwise x ${c.x.join('x')}, filter ${c.f.join('x')}, strides ${c.strides}, ${c.pad}: y, dx, dw`, () =>
      expectSameAsCpu(() => depthwiseGrads(c)));
  }

  it('depthwise gradients with dilation 2 equal dilation 1 with a zero-dilated filter (our kernels: the stock ones ignore dilation)', async () => {
    // The cpu kernels ignore dilation in the depthwise gradients too, so the reference is
    // the identity: a filter dilated by 2 is the 2-spaced taps of a 5×5 filter.
    const x: [number, number, number, number] = [2, 9, 9, 2];
    const wv = values(36, 9);
    const wBig = new Float32Array(100);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) wBig[(2 * i * 5 + 2 * j) * 4 + k] = wv[(i * 3 + j) * 4 + k]!;
    const grads = (filter: Float32Array, shape: [number, number, number, number], dilations: number) => () => {
      const dy = tf.tensor4d(values(2 * 9 * 9 * 4, 11), [2, 9, 9, 4]);
      const attrs = { strides: 1, pad: 'same', dilations, dimRoundingMode: undefined };
      return [
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: tf.tensor4d(filter, shape) }, { ...attrs, inputShape: x } as never) as tf.Tensor,
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: tf.tensor4d(values(2 * 9 * 9 * 2, 10), x), dy }, { ...attrs, filterShape: shape } as never) as tf.Tensor,
      ];
    };
    const [dxRef, dwBig] = await run('cpu', grads(wBig, [5, 5, 2, 2], 1));
    const [dx, dw] = await run('webgpu', grads(wv, [3, 3, 2, 2], 2));
    const dwRef = new Float32Array(36);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) dwRef[(i * 3 + j) * 4 + k] = dwBig![(2 * i * 5 + 2 * j) * 4 + k]!;
    expect(maxRelDiff(dx!, dxRef!)).toBeLessThan(1e-5);
    expect(maxRelDiff(dw!, dwRef)).toBeLessThan(1e-5);
  });
});
