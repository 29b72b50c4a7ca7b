// Fixed sizes and seeds of the live figures: the page (in its worker) and the
// e2e test (in Node) read them from here, so both build identical models.

/** Gate biases of the highway figure (the slider's range). */
export const HIGHWAY_BIASES = Array.from({ length: 13 }, (_, i) => -4 + i * 0.5);
/** Depth and width of the highway stack, and the batch of random inputs. */
export const HIGHWAY_SETUP = { depth: 10, width: 32, batch: 256, seed: 11 } as const;
/** The pre-/post-norm transformer stacks and their batch. */
export const NORM_SETUP = { depth: 6, dModel: 32, heads: 4, seq: 16, batch: 8, classes: 16, seed: 2020 } as const;
/** The three networks of the gradient figure, all of the same depth. */
export const GRADIENT_KINDS = ['plain', 'resnet', 'resnet-zero-gamma'] as const;
/** Batch size and seed of the gradient figure. */
export const GRADIENT_SETUP = { batch: 8, seed: 2015 } as const;
