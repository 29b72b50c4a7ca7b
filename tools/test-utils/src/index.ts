/**
 * Test helpers shared across the workspace (private, never published): compare
 * numbers with {@link maxAbsDiff} / {@link maxRelDiff}, read real MNIST digits
 * with {@link mnistDigits}. Imported as TypeScript source (no build step).
 */
export { maxAbsDiff, maxRelDiff, type Values } from './diff.js';
export { MNIST_PIXELS, mnistCount, mnistDigits, mnistImage, type MnistDigits } from './mnist.js';
