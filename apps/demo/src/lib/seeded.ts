// Reproducible model initialisation. tfjs initializers without a seed draw their
// seed from Math.random() once per random op; swapping Math.random for a seeded
// generator while a model is built makes every weight a function of the seed, so
// the page and the e2e test (in Node) build bit-identical models.

/** mulberry32: a tiny, well-mixed 32-bit generator; uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs the synchronous `fn` with Math.random seeded, then puts Math.random back
 * (also when `fn` throws). Only for synchronous code: anything awaiting inside
 * would let other code draw from the seeded stream.
 */
export function withSeed<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed);
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}
