import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { useWasmTrainingKernels } from './test-utils.js';
import { BATCH_NORM_TRAINING_GRAD, CHANNEL_MOMENTS } from './batchnorm-training.js';

/** A kernel call made directly (no op-level checks), as `engine().runKernel` lets anyone; inputs made at call time. */
const run = (kernel: string, inputs: Record<string, number[]>, attrs: Record<string, unknown>) => () => {
  const tensors = Object.fromEntries(Object.entries(inputs).map(([name, shape]) => [name, shape.length === 0 ? tf.scalar(1) : tf.ones(shape)]));
  try {
    return tf.engine().runKernel(kernel, tensors as never, attrs as never);
  } finally {
    tf.dispose(Object.values(tensors));
  }
};

// Kernels reached through engine().runKernel with shapes that disagree must refuse
// them before touching memory: a tensor allocated before each call must still hold
// its values afterwards, and the backend must hold no new buffers.
describe('the wasm kernels refuse mismatched shapes, naming the kernel and the shapes', () => {
  useWasmTrainingKernels();

  const conv = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['Conv2D, x channels ≠ filter.shape[2]', run('Conv2D', { x: [1, 8, 8, 8], filter: [3, 3, 4, 8] }, conv),
      /Conv2D: the input \[1,8,8,8\] has 8 channels but the filter \[3,3,4,8\] expects 4/],
    ['FusedConv2D, x channels ≠ filter.shape[2]', run('FusedConv2D', { x: [1, 8, 8, 4], filter: [3, 3, 8, 8] }, { ...conv, activation: 'relu' }),
      /FusedConv2D: the input \[1,8,8,4\] has 4 channels but the filter \[3,3,8,8\] expects 8/],
    ['Conv2D, rank-3 input', run('Conv2D', { x: [8, 8, 4], filter: [3, 3, 4, 8] }, conv), /Conv2D: the input must have a rank-4 shape of whole sizes; got \[8,8,4\]/],
    ['Conv2D, stride 0', run('Conv2D', { x: [1, 8, 8, 4], filter: [3, 3, 4, 8] }, { ...conv, strides: 0 }), /Conv2D: strides must be one or two positive integers/],
    ['Conv2D, filter larger than the input', run('Conv2D', { x: [1, 2, 2, 4], filter: [5, 5, 4, 8] }, { ...conv, pad: 'valid' }), /Conv2D: the filter \[5,5,4,8\] does not fit/],
    ['Conv2DBackpropInput, dy of the wrong size', run('Conv2DBackpropInput', { dy: [1, 8, 8, 4], filter: [3, 3, 8, 8] }, { ...conv, inputShape: [1, 8, 8, 8] }),
      /Conv2DBackpropInput: dy \[1,8,8,4\] is not the shape of the convolution's output, \[1,8,8,8\]/],
    ['Conv2DBackpropInput, inputShape channels ≠ filter.shape[2]', run('Conv2DBackpropInput', { dy: [1, 8, 8, 8], filter: [3, 3, 8, 8] }, { ...conv, inputShape: [1, 8, 8, 16] }),
      /Conv2DBackpropInput: the input \[1,8,8,16\] has 16 channels/],
    ['Conv2DBackpropFilter, dy of the wrong size', run('Conv2DBackpropFilter', { x: [2, 8, 8, 8], dy: [2, 4, 4, 8] }, { ...conv, filterShape: [3, 3, 8, 8] }),
      /Conv2DBackpropFilter: dy \[2,4,4,8\] is not the shape/],
    ['DepthwiseConv2dNativeBackpropInput, dy of the wrong size',
      run('DepthwiseConv2dNativeBackpropInput', { dy: [1, 8, 8, 3], filter: [3, 3, 4, 1] }, { strides: 1, pad: 'same', dilations: 1, inputShape: [1, 8, 8, 4] }),
      /DepthwiseConv2dNativeBackpropInput: dy \[1,8,8,3\] is not the shape/],
    ['DepthwiseConv2dNativeBackpropFilter, x channels ≠ filter', run('DepthwiseConv2dNativeBackpropFilter', { x: [1, 8, 8, 2], dy: [1, 8, 8, 4] },
      { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 4, 1] }), /DepthwiseConv2dNativeBackpropFilter: the input \[1,8,8,2\] has 2 channels/],
    ['FusedBatchNorm, statistics of the wrong size', run('FusedBatchNorm', { x: [2, 4, 4, 8], mean: [3], variance: [8] }, { varianceEpsilon: 1e-3 }),
      /FusedBatchNorm: mean has 3 values/],
    ['ResnetChannelMoments, a scalar', run(CHANNEL_MOMENTS, { x: [] }, {}), /ResnetChannelMoments: x must be a float32 tensor of rank ≥ 1/],
    ['ResnetBatchNormTrainingGrad, dy of another shape', run(BATCH_NORM_TRAINING_GRAD,
      { x: [2, 4, 8], dy: [2, 4, 4], mean: [8], variance: [8], gamma: [8] }, { epsilon: 1e-3 }),
      /ResnetBatchNormTrainingGrad: dy must be float32 and shaped like x \[2,4,8\]/],
    ['ResnetBatchNormTrainingGrad, gamma of the wrong size', run(BATCH_NORM_TRAINING_GRAD,
      { x: [2, 4, 8], dy: [2, 4, 8], mean: [8], variance: [8], gamma: [4] }, { epsilon: 1e-3 }),
      /ResnetBatchNormTrainingGrad: gamma must hold 8 float32 values/],
    ['Tile, too few reps', run('Tile', { x: [2, 3] }, { reps: [2] }), /Tile: reps must be 2 non-negative integers/],
    ['Slice, past the end', run('Slice', { x: [4, 4] }, { begin: [2, 0], size: [3, 4] }), /Slice: begin \[2,0\] and size \[3,4\] do not lie inside x \[4,4\]/],
  ];
  for (const [what, call, message] of cases) {
    it(what, () => {
      const guard = tf.fill([64], 7);
      const tensors = tf.memory().numTensors;
      expect(call).toThrow(message);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(Array.from(guard.dataSync())).toEqual(new Array(64).fill(7));
      guard.dispose();
    });
  }
});
