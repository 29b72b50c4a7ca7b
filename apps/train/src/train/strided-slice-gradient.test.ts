import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerStridedSliceGradient } from './strided-slice-gradient.js';

registerStridedSliceGradient();

describe('StridedSlice gradient', () => {
  it('puts dy at the sliced positions and zeros elsewhere (x[:, ::2, ::2, :], as the zero-pad shortcut does)', () => {
    const x = tf.zeros([1, 5, 4, 2]);
    // y has shape [1, 3, 2, 2]; weight each output element by a distinct number so positions are checked.
    const w = tf.tensor(Array.from({ length: 12 }, (_, i) => i + 1), [1, 3, 2, 2]);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.stridedSlice(t, [0, 0, 0, 0], [1, 5, 4, 2], [1, 2, 2, 1]), w)))(x);
    const got = dx.arraySync() as number[][][][];
    const want = Array.from({ length: 5 }, (_, r) =>
      Array.from({ length: 4 }, (_, c) => [0, 1].map((ch) => (r % 2 === 0 && c % 2 === 0 ? ((r / 2) * 2 + c / 2) * 2 + ch + 1 : 0))),
    );
    expect(got[0]).toEqual(want);
    tf.dispose([x, w, dx]);
  });

  it('handles an offset begin and end on one axis', () => {
    const x = tf.zeros([7]);
    // x[1:6:2] = elements 1, 3, 5
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.stridedSlice(t, [1], [6], [2]), tf.tensor1d([10, 20, 30]))))(x);
    expect(Array.from(dx.dataSync())).toEqual([0, 10, 0, 20, 0, 30, 0]);
    tf.dispose([x, dx]);
  });
});
