import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { simdKernelCalls } from './simd-kernels.js';
import { maxRelDiff, on, values, useWasmTrainingKernels } from './test-utils.js';

// Each replaced kernel against the cpu backend, over shapes that exercise the
// fast path and the fall-backs to the stock kernel.
describe('replaced wasm kernels match the cpu backend', () => {
  useWasmTrainingKernels();

  const same = async (fn: () => tf.Tensor[]) => {
    const cpu = await on('cpu', fn);
    const wasm = await on('wasm', fn);
    expect(wasm.length).toBe(cpu.length);
    cpu.forEach((c, i) => {
      expect(wasm[i]!.length).toBe(c.length);
      expect(maxRelDiff(wasm[i]!, c)).toBeLessThan(1e-6);
    });
  };
  const t = (shape: number[], seed: number) => tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);

  it('Tile: per-channel vector to an activation, general reps, rank 1', () =>
    same(() => [
      tf.tile(t([1, 1, 1, 5], 1), [2, 3, 4, 1]),
      tf.tile(t([2, 3, 1], 2), [3, 1, 4]),
      tf.tile(t([3], 3), [5]),
      tf.tile(t([2, 2], 4), [1, 1]),
      tf.tile(tf.tensor([1, 2, 3], [3], 'int32'), [3]),
    ]));

  it('Slice: inner, outer and partial crops, and size -1', () =>
    same(() => [
      tf.slice(t([2, 5, 6, 3], 5), [0, 1, 1, 0], [2, 3, 4, 3]),
      tf.slice(t([2, 5, 6, 3], 6), [1, 0, 0, 0], [1, 5, 6, 3]),
      tf.slice(t([2, 5, 6, 3], 7), [0, 0, 0, 1], [2, -1, -1, 2]),
      tf.slice(t([7], 8), [2], [3]),
      tf.slice(tf.tensor([1, 2, 3, 4], [2, 2], 'int32'), [1, 0], [1, 2]),
      // The option-A shortcut's subsampling: rank 6, runs of one pixel's channels.
      tf.slice(t([2, 3, 2, 3, 2, 5], 9), [0, 0, 0, 0, 0, 0], [2, 3, 1, 3, 1, 5]),
      tf.slice(t([4, 40, 3], 10), [1, 2, 0], [2, 36, 3]), // runs merged over two axes: longer than a short run
      tf.slice(t([2, 3], 11), [1, 1], [1, 1]), // one element
      tf.slice(t([4, 3], 12), [0, 1], [4, 1]), // a column: no contiguous run
      tf.slice(t([2, 3, 2, 3, 2, 3, 4], 13), [0, 1, 0, 1, 0, 1, 1], [2, 2, 2, 2, 2, 2, 3]), // 7 axes that do not merge: the JavaScript copy
      tf.slice(t([4, 8192], 14), [1, 0], [2, 8192]), // one run of 16,384: copied as rows of 4,096
    ]));

  it('Slice and PadV2 of float32 and int32 run on our copy kernel; bool on the JavaScript copy', async () => {
    const before = simdKernelCalls().copy_box ?? 0;
    await same(() => [tf.slice(t([2, 5, 6, 3], 5), [0, 1, 1, 0], [2, 3, 4, 3]), tf.pad(t([2, 3, 4], 6), [[0, 0], [1, 2], [3, 0]])]);
    expect((simdKernelCalls().copy_box ?? 0) - before).toBe(2);
    await tf.setBackend('wasm');
    const b = tf.tensor([true, false, true, true, false, false], [2, 3], 'bool');
    expect(Array.from(tf.slice(b, [0, 1], [2, 2]).dataSync())).toEqual([0, 1, 0, 0]);
    expect(Array.from(tf.pad(b, [[0, 0], [1, 0]]).dataSync())).toEqual([0, 1, 0, 1, 0, 1, 0, 0]);
    tf.dispose(b);
  });

  it('PadV2: channels (the option-A shortcut), the subsampling\'s gradient (rank 6), a constant, int32, nothing to pad, an empty input', () =>
    same(() => [
      tf.pad(t([2, 4, 4, 16], 1), [[0, 0], [0, 0], [0, 0], [8, 8]]),
      tf.pad(t([2, 3, 1, 3, 1, 5], 2), [[0, 0], [0, 0], [0, 1], [0, 0], [0, 1], [0, 0]]),
      tf.pad(t([3, 5], 3), [[2, 1], [0, 3]], -1.5),
      tf.pad(tf.tensor([1, -2, 3, 4], [2, 2], 'int32'), [[1, 0], [0, 1]], 7),
      tf.pad(t([2, 3], 4), [[0, 0], [0, 0]]),
      tf.pad(tf.zeros([0, 3]), [[1, 1], [0, 0]], 2),
    ]));

  it('Sum and Mean: leading axes (fast path), other axes and keepDims (stock path)', () =>
    same(() => {
      const x = t([3, 4, 5, 6], 9);
      return [
        tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2]), tf.sum(x, [0, 1, 2], true), tf.mean(x, 0),
        tf.sum(x), tf.mean(x, [1, 2]), tf.sum(x, -1), tf.sum(tf.tensor([1, 2, 3, 4], [2, 2], 'int32'), 0),
      ];
    }));

  it('Identity and Cast share buffers yet stay independent tensors', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    const i = tf.cast(tf.tensor([1.7, -2.2]), 'int32');
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(i.dataSync())).toEqual([1, -2]);
    tf.dispose([y, z, i]);
  });

  it('an RGB stem (7×7, 3 input channels, stride 2, padded 3) runs on our direct kernel, interior rows as one loop per filter row', async () => {
    const stem = () => [tf.fused.conv2d({ x: t([2, 29, 31, 3], 10) as tf.Tensor4D, filter: t([7, 7, 3, 8], 11) as tf.Tensor4D, bias: t([8], 12) as tf.Tensor1D,
      strides: 2, pad: [[0, 0], [3, 3], [3, 3], [0, 0]], activation: 'relu' })];
    const before = simdKernelCalls().conv2d ?? 0;
    await same(stem);
    expect((simdKernelCalls().conv2d ?? 0) - before).toBe(1);
    // One input channel, 5×5 'same': every tile at the border takes the per-tap path.
    await same(() => [tf.conv2d(t([1, 9, 10, 1], 13) as tf.Tensor4D, t([5, 5, 1, 4], 14) as tf.Tensor4D, 1, 'same')]);
    expect((simdKernelCalls().conv2d ?? 0) - before).toBe(2);
  });
});
