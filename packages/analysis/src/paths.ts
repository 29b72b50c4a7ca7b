// Path-ensemble arithmetic (Veit, Wilber & Belongie 2016, "Residual Networks
// Behave Like Ensembles of Relatively Shallow Networks"). A network of n residual
// blocks unrolls into 2^n paths; a path's length is the number of residual
// branches it passes through, so lengths follow Binomial(n, 1/2).

function checkBlocks(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new Error(`${what}: blocks must be a non-negative integer, got ${String(n)}`);
  }
  return n;
}

/**
 * Number of paths through `blocks` residual blocks: 2^blocks, exact, as a BigInt
 * (2^54 for ResNet-110 already exceeds `Number.MAX_SAFE_INTEGER`).
 *
 * @example
 * ```ts
 * pathCount(54); // 18014398509481984n: the paths of ResNet-110's 54 residual blocks
 * ```
 */
export function pathCount(blocks: number): bigint {
  return 1n << BigInt(checkBlocks(blocks, 'pathCount'));
}

/**
 * Natural log of the binomial coefficient C(n, k) for k = 0..n, built up by the
 * recurrence C(n, k) = C(n, k-1) (n-k+1) / k in log space, so nothing overflows
 * for any n (C(1000, 500) is about 10^299, near the largest double).
 *
 * @example
 * ```ts
 * Math.exp(logBinomials(4)[2]); // ≈ 6 = C(4, 2)
 * ```
 */
export function logBinomials(n: number): number[] {
  checkBlocks(n, 'logBinomials');
  const out = new Array<number>(n + 1);
  out[0] = 0;
  for (let k = 1; k <= n; k++) out[k] = out[k - 1]! + Math.log(n - k + 1) - Math.log(k);
  // Exploit symmetry so both tails carry exactly the same rounding.
  for (let k = n; k > n / 2; k--) out[k] = out[n - k]!;
  return out;
}

/**
 * The distribution of path lengths through `blocks` residual blocks:
 * `P(length = k) = C(blocks, k) / 2^blocks` for k = 0..blocks (Binomial(n, 1/2)).
 * Computed in log space, so it is accurate for n in the thousands; entries too
 * small for a double (below about 1e-308) come out as 0.
 *
 * @returns an array of `blocks + 1` probabilities that sums to 1.
 *
 * @example
 * ```ts
 * const p = pathLengthDistribution(54);
 * p[27]; // 0.1081: the most likely path length, half the blocks
 * ```
 */
export function pathLengthDistribution(blocks: number): number[] {
  const n = checkBlocks(blocks, 'pathLengthDistribution');
  const logC = logBinomials(n);
  const logTotal = n * Math.LN2;
  return logC.map((l) => Math.exp(l - logTotal));
}

/**
 * Fraction of the 2^blocks paths whose length lies in `[minLength, maxLength]`
 * (inclusive). For ResNet-110's 54 blocks, lengths 5–17 (the paths Veit et al.
 * found to carry almost all of the gradient) are about 0.45% of all paths.
 *
 * @example
 * ```ts
 * pathLengthFraction(54, 5, 17); // 0.00454: the lengths Veit et al. found to carry most of the gradient
 * ```
 */
export function pathLengthFraction(blocks: number, minLength: number, maxLength: number): number {
  const n = checkBlocks(blocks, 'pathLengthFraction');
  for (const [k, v] of [['minLength', minLength], ['maxLength', maxLength]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new Error(`pathLengthFraction: ${k} must be an integer, got ${String(v)}`);
    }
  }
  if (minLength > maxLength) {
    throw new Error(`pathLengthFraction: minLength (${minLength}) must not exceed maxLength (${maxLength})`);
  }
  const p = pathLengthDistribution(n);
  let sum = 0;
  for (let k = Math.max(0, minLength); k <= Math.min(n, maxLength); k++) sum += p[k]!;
  return Math.min(1, sum);
}

/** Summary statistics of {@link pathLengthDistribution}. */
export interface PathLengthStats {
  /** Number of residual blocks. */
  blocks: number;
  /** Number of paths, 2^blocks. */
  paths: bigint;
  /** Mean path length, blocks / 2. */
  mean: number;
  /** Standard deviation of the path length, sqrt(blocks) / 2. */
  std: number;
  /** Most common path length(s): floor(blocks/2) (and ceil when blocks is odd). */
  modes: number[];
}

/**
 * Mean, spread and count of the paths through `blocks` residual blocks.
 *
 * @example
 * ```ts
 * const { mean, std, modes } = pathLengthStats(54); // 27, 3.67, [27]
 * ```
 */
export function pathLengthStats(blocks: number): PathLengthStats {
  const n = checkBlocks(blocks, 'pathLengthStats');
  const modes = n % 2 === 0 ? [n / 2] : [(n - 1) / 2, (n + 1) / 2];
  return { blocks: n, paths: pathCount(n), mean: n / 2, std: Math.sqrt(n) / 2, modes };
}
