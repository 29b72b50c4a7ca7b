// Real MNIST digits as tensors for this package's tests and scripts.
import * as tf from '@tensorflow/tfjs-core';
import { mnistDigits } from '@resnet/test-utils';

/** `perClass` examples of each digit starting at `offset`, as `x: [n, 28, 28, 1]` and `y: [n]` int32. */
export function mnistSlice(perClass: number, offset = 0): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const { images, labels, count } = mnistDigits(perClass, offset);
  return { x: tf.tensor4d(images, [count, 28, 28, 1]), y: tf.tensor1d(labels, 'int32') };
}
