/**
 * Batch assembly and the standard CIFAR augmentation of He et al. 2015: pad 4
 * pixels of zeros on each side, take a random crop of the original size, and
 * flip horizontally with probability 1/2. Runs in JS on the batch buffer (cheap
 * next to the convolutions) with the training run's seeded RNG, so it is
 * reproducible and resumable.
 */
import { type Rng } from '@resnet/blocks';
import { type Split } from './dataset.js';

/** How to augment a batch. */
export interface AugmentOptions {
  /** Pad-4 random crop. */
  crop: boolean;
  /** Random horizontal flip. */
  flip: boolean;
}

/**
 * Copies the images at `indices` into one NHWC buffer, augmenting each when asked.
 * Zero padding is applied in the normalised space (value 0 = the data mean), as
 * torchvision's RandomCrop(padding=4) on normalised tensors does.
 */
export function gatherBatch(
  split: Split,
  indices: ArrayLike<number>,
  shape: [number, number, number],
  rng: Rng | null,
  aug: AugmentOptions = { crop: false, flip: false },
): { images: Float32Array; labels: Int32Array } {
  const [h, w, c] = shape;
  const size = h * w * c;
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let b = 0; b < indices.length; b++) {
    const idx = indices[b]!;
    labels[b] = split.labels[idx]!;
    const src = split.images.subarray(idx * size, (idx + 1) * size);
    const dst = images.subarray(b * size, (b + 1) * size);
    if (!rng || (!aug.crop && !aug.flip)) {
      dst.set(src);
      continue;
    }
    // Offsets in [-4, 4]: the crop window's top-left in the padded image minus 4.
    const dy = aug.crop ? rng.int(9) - 4 : 0;
    const dx = aug.crop ? rng.int(9) - 4 : 0;
    const flip = aug.flip && rng.next() < 0.5;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      for (let x = 0; x < w; x++) {
        const sx0 = x + dx;
        const sx = flip ? w - 1 - sx0 : sx0;
        const o = (y * w + x) * c;
        if (sy < 0 || sy >= h || sx0 < 0 || sx0 >= w) {
          for (let k = 0; k < c; k++) dst[o + k] = 0;
        } else {
          const i = (sy * w + sx) * c;
          for (let k = 0; k < c; k++) dst[o + k] = src[i + k]!;
        }
      }
    }
  }
  return { images, labels };
}
