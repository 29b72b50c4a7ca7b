import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONV_CASES, DEPTHWISE_CASES, type ConvCase, type DepthwiseCase } from '../kernel-cases.js';
import { maxRelDiff, values } from '../wasm/test-utils.js';
import { expectSameAsCpu, run, useWebgpu } from './test-utils.js';

/**
 * conv2d(x, w), the gradients of sum(conv2d(x, w) * r) for x and w (r a fixed
 * random weighting), relu(conv2d(x, w) + bias) (fused) and its gradients for x, w, bias.
 */
function convAndGrads(c: ConvCase): tf.Tensor[] {
  const x = tf.tensor4d(values(c.x.reduce((a, b) => a * b), 1), c.x);
  const w = tf.tensor4d(values(c.f.reduce((a, b) => a * b), 2), c.f);
  const y = tf.conv2d(x, w, c.strides, c.pad);
  const r = tf.tensor(values(y.size, 3), y.shape);
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)));
  const bias = tf.tensor1d(values(c.f[3], 4));
  const fused = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) =>
    tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: c.strides, pad: c.pad, bias: d, activation: 'relu' });
  const fusedGrads = tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(fused(a, b, d), r)));
  return [y, ...g([x, w]), fused(x, w, bias), ...fusedGrads([x, w, bias])];
}

/** The two depthwise gradient kernels, called directly. */
function depthwiseGrads(c: DepthwiseCase): tf.Tensor[] {
  const x = tf.tensor4d(values(c.x.reduce((a, b) => a * b), 4), c.x);
  const w = tf.tensor4d(values(c.f.reduce((a, b) => a * b), 5), c.f);
  const y = tf.depthwiseConv2d(x, w, c.strides, c.pad, 'NHWC', c.dilations);
  const dy = tf.tensor(values(y.size, 6), y.shape);
  const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations, dimRoundingMode: undefined };
  return [
    y,
    tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...attrs, inputShape: c.x } as never) as tf.Tensor,
    tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: c.f } as never) as tf.Tensor,
  ];
}

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
