/**
 * The one seeded random number generator of the project (sfc32): its whole
 * state is four 32-bit integers, so a training checkpoint can store it and a
 * resumed run continues the exact same stream. Used for shuffles and
 * augmentation (resnet-train), subset sampling (@resnet/analysis) and, through
 * {@link withSeededMathRandom}, reproducible tfjs initialisation (resnet-train,
 * the demo).
 */

/** The saved state of an {@link Rng}: four unsigned 32-bit integers. */
export type RngState = [number, number, number, number];

/**
 * Seeded generator of uniform numbers in [0, 1) with a serialisable state.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const order = rng.permutation(10); // the same order for seed 42, every run
 * const again = new Rng(rng.state()); // continues the same stream
 * ```
 */
export class Rng {
  private s: Uint32Array;

  /** Seeds from an integer (any 32-bit value) or restores a saved state. */
  constructor(seedOrState: number | RngState) {
    if (Array.isArray(seedOrState)) {
      if (seedOrState.length !== 4 || seedOrState.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
        throw new Error(`invalid RNG state ${JSON.stringify(seedOrState)}: expected four unsigned 32-bit integers`);
      }
      this.s = Uint32Array.from(seedOrState);
      return;
    }
    if (!Number.isInteger(seedOrState)) throw new Error(`invalid seed ${seedOrState}: expected an integer`);
    // splitmix32 spreads a small seed over the four words; then warm up so
    // nearby seeds give unrelated streams.
    let z = seedOrState >>> 0;
    const next = (): number => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z ^ (z >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.s = Uint32Array.from([next(), next(), next(), next()]);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const t = (((s[0]! + s[1]!) >>> 0) + s[3]!) >>> 0;
    s[3] = (s[3]! + 1) >>> 0;
    s[0] = s[1]! ^ (s[1]! >>> 9);
    s[1] = (s[2]! + (s[2]! << 3)) >>> 0;
    s[2] = ((s[2]! << 21) | (s[2]! >>> 11)) >>> 0;
    s[2] = (s[2]! + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /** A copy of the state, for checkpoints. */
  state(): RngState {
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }
}

/**
 * Runs the synchronous `fn` with `Math.random` replaced by a seeded stream,
 * then puts `Math.random` back (also when `fn` throws). tfjs initialisers draw
 * their seeds from `Math.random` when none is given, so this makes model
 * initialisation reproducible from a seed without touching the model code.
 * Only for synchronous code: anything awaiting inside would let other code
 * draw from the seeded stream. The stream is that of `new Rng(seed ^ 0x5eed)`,
 * so the same seed does not also repeat a data-order stream of `new Rng(seed)`.
 *
 * @example
 * ```ts
 * const build = () => tf.layers.dense({ units: 4, inputShape: [3] });
 * const a = withSeededMathRandom(7, () => tf.sequential({ layers: [build()] }));
 * const b = withSeededMathRandom(7, () => tf.sequential({ layers: [build()] })); // same initial weights as a
 * ```
 */
export function withSeededMathRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  const rng = new Rng(seed ^ 0x5eed);
  Math.random = () => rng.next();
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}
