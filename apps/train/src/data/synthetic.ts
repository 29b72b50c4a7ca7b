/**
 * A small learnable dataset for smoke tests, generated from a seed: each class
 * is a bright square at its own position on a noisy background.
 */
import { Rng } from '@resnet/blocks';
import { type Dataset, type Split } from './dataset.js';

/** Options of the synthetic dataset. */
export interface SyntheticOptions {
  /** Training images (default 512). */
  trainSize?: number;
  /** Test images (default 128). */
  testSize?: number;
  /** Image side (default 32). */
  size?: number;
  /** Channels (default 3). */
  channels?: number;
  /** Classes (default 10). */
  numClasses?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
}

function make(rng: Rng, count: number, size: number, channels: number, numClasses: number): Split {
  const images = new Float32Array(count * size * size * channels);
  const labels = new Uint8Array(count);
  const side = Math.max(1, Math.floor(size / 4));
  const grid = Math.ceil(Math.sqrt(numClasses));
  for (let n = 0; n < count; n++) {
    const label = rng.int(numClasses);
    labels[n] = label;
    const top = Math.floor(((label / grid) | 0) * ((size - side) / Math.max(1, grid - 1)));
    const left = Math.floor((label % grid) * ((size - side) / Math.max(1, grid - 1)));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const on = y >= top && y < top + side && x >= left && x < left + side;
        for (let c = 0; c < channels; c++) {
          images[((n * size + y) * size + x) * channels + c] = (on ? 2 : 0) + (rng.next() - 0.5);
        }
      }
    }
  }
  return { images, labels, count };
}

/** Generates the synthetic dataset. */
export function loadSynthetic(opts: SyntheticOptions = {}): Dataset {
  const size = opts.size ?? 32;
  const channels = opts.channels ?? 3;
  const numClasses = opts.numClasses ?? 10;
  const rng = new Rng(opts.seed ?? 1);
  return {
    name: 'synthetic',
    shape: [size, size, channels],
    numClasses,
    train: make(rng, opts.trainSize ?? 512, size, channels, numClasses),
    test: make(rng, opts.testSize ?? 128, size, channels, numClasses),
    flipSafe: false,
  };
}
