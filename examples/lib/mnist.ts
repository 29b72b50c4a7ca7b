/**
 * Real MNIST digits (the `mnist` package, read by @resnet/test-utils) as
 * 32×32×3 images: padded by 2 pixels and repeated over 3 channels, the CIFAR
 * input the CIFAR ResNets take. Deterministic: the same samples every run.
 */
import * as tf from '@tensorflow/tfjs';
import { mnistDigits } from '@resnet/test-utils';

/**
 * `perDigit` samples of each digit starting at sample `offset`: images
 * `[10·perDigit, 32, 32, 3]` in [0, 1] and one-hot labels `[10·perDigit, 10]`,
 * interleaved so every batch holds every digit.
 */
export function mnistAsCifar(perDigit: number, offset = 0): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const { images, labels, count } = mnistDigits(perDigit, offset);
  return tf.tidy(() => {
    const x = tf.tensor4d(images, [count, 28, 28, 1]);
    const xs = x.pad([[0, 0], [2, 2], [2, 2], [0, 0]]).tile([1, 1, 1, 3]) as tf.Tensor4D;
    return { xs, ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D };
  });
}
