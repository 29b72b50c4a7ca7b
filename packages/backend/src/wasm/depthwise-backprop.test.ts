import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { DEPTHWISE_CASES as cases, depthwiseGrads } from '../kernel-cases.js';
import { maxRelDiff, on, values, useWasmTrainingKernels } from './test-utils.js';

describe('wasm depthwise gradients match the cpu backend', () => {
  useWasmTrainingKernels();

  for (const c of cases) {
    it(`x ${c.x.join('x')}, filter ${c.f.join('x')}, strides ${c.strides}, ${c.pad}, dilation ${c.dilations}`, async () => {
      const [, dxCpu, dwCpu] = await on('cpu', () => depthwiseGrads(c));
      const [, dxWasm, dwWasm] = await on('wasm', () => depthwiseGrads(c));
      expect(maxRelDiff(dxWasm!, dxCpu!)).toBeLessThan(1e-5);
      expect(maxRelDiff(dwWasm!, dwCpu!)).toBeLessThan(1e-5);
    });
  }

  it('dilation 2 equals dilation 1 with a zero-dilated filter', async () => {
    // The cpu kernels ignore dilation in the depthwise gradients, so the reference is
    // the identity: a filter dilated by d is the d-spaced taps of a larger filter.
    const x: [number, number, number, number] = [2, 9, 9, 2];
    const f: [number, number, number, number] = [3, 3, 2, 2];
    const big: [number, number, number, number] = [5, 5, 2, 2];
    const wv = values(36, 9);
    const wBig = new Float32Array(100);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) wBig[((2 * i) * 5 + 2 * j) * 4 + k] = wv[(i * 3 + j) * 4 + k]!;
    const run = (filter: Float32Array, shape: typeof f, dilations: number) => () => {
      const xs = tf.tensor4d(values(2 * 9 * 9 * 2, 10), x);
      const dy = tf.tensor4d(values(2 * 9 * 9 * 4, 11), [2, 9, 9, 4]);
      const attrs = { strides: 1, pad: 'same', dilations, dimRoundingMode: undefined };
      return [
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: tf.tensor4d(filter, shape) }, { ...attrs, inputShape: x } as never) as tf.Tensor,
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: xs, dy }, { ...attrs, filterShape: shape } as never) as tf.Tensor,
      ];
    };
    const [dxRef, dwBig] = await on('cpu', run(wBig, big, 1));
    const [dx, dw] = await on('wasm', run(wv, f, 2));
    const dwRef = new Float32Array(36);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) dwRef[(i * 3 + j) * 4 + k] = dwBig![((2 * i) * 5 + 2 * j) * 4 + k]!;
    expect(maxRelDiff(dx!, dxRef!)).toBeLessThan(1e-5);
    expect(maxRelDiff(dw!, dwRef)).toBeLessThan(1e-5);
  });

  it('trains through tf.grads of depthwiseConv2d', async () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')));
    const run = () => tf.grads(f)([tf.tensor4d(values(2 * 6 * 6 * 2, 7), [2, 6, 6, 2]), tf.tensor4d(values(18, 8), [3, 3, 2, 1])]);
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    expect(maxRelDiff(wasm[0]!, cpu[0]!)).toBeLessThan(1e-5);
    expect(maxRelDiff(wasm[1]!, cpu[1]!)).toBeLessThan(1e-5);
  });
});
