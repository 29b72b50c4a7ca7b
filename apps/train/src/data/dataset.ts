/**
 * In-memory image classification data: NHWC float32 images, already
 * normalised, with integer labels. Every source (mnist, cifar10, synthetic)
 * produces this one shape so the training loop knows nothing about files.
 */

/** One split (train or test) of a dataset. */
export interface Split {
  /** count × height × width × channels, normalised. */
  images: Float32Array;
  /** Class index per image. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
}

/** A dataset with a fixed train/test split. */
export interface Dataset {
  /** What was loaded, e.g. `mnist` or `cifar10:/data/cifar`. */
  name: string;
  /** [height, width, channels] of one image. */
  shape: [number, number, number];
  /** Number of classes. */
  numClasses: number;
  /** Training split. */
  train: Split;
  /** Test split. */
  test: Split;
  /** Whether pad-4 random crop + horizontal flip suits this data (CIFAR yes; digits no: a flipped 2 is not a 2). */
  flipSafe: boolean;
}

/** Limits on how much of a source to load. */
export interface LoadLimits {
  /** Use at most this many training images (the first ones of the fixed split). */
  trainSize?: number;
  /** Use at most this many test images. */
  testSize?: number;
  /** Receives warnings about suspicious but readable files (default: stderr). */
  warn?: (message: string) => void;
}

/** Keeps the first `n` images of a split. */
export function take(split: Split, n: number | undefined, shape: [number, number, number]): Split {
  if (n === undefined || n >= split.count) return split;
  const size = shape[0] * shape[1] * shape[2];
  return { images: split.images.subarray(0, n * size), labels: split.labels.subarray(0, n), count: n };
}
