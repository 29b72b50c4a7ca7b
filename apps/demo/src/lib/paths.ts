// Summaries of a path-length distribution (P(length = k), k = 0..n) for the captions.

/** Mean path length: Σ k·P(k). */
export function meanLength(p: readonly number[]): number {
  return p.reduce((s, v, k) => s + k * v, 0);
}

/**
 * The narrowest central range [lo, hi] of lengths holding at least `mass` of all
 * paths, grown one step at a time from the mode towards the heavier neighbour.
 */
export function centralRange(p: readonly number[], mass = 0.95): { lo: number; hi: number; mass: number } {
  let mode = 0;
  p.forEach((v, k) => {
    if (v > (p[mode] ?? 0)) mode = k;
  });
  let lo = mode, hi = mode, acc = p[mode] ?? 0;
  while (acc < mass && (lo > 0 || hi < p.length - 1)) {
    const left = lo > 0 ? (p[lo - 1] ?? 0) : -1;
    const right = hi < p.length - 1 ? (p[hi + 1] ?? 0) : -1;
    if (right >= left) acc += p[++hi] ?? 0;
    else acc += p[--lo] ?? 0;
  }
  return { lo, hi, mass: acc };
}
