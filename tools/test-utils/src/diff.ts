import type { Tensor } from '@tensorflow/tfjs-core';

/** Numbers to compare: a tensor, a flat array, or rows of numbers (compared flattened). */
export type Values = Tensor | ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

function flat(v: Values): ArrayLike<number> {
  if ('dataSync' in v) return v.dataSync() as ArrayLike<number>;
  if (v.length > 0 && typeof v[0] !== 'number') return (v as ReadonlyArray<ArrayLike<number>>).flatMap((row) => Array.from(row));
  return v as ArrayLike<number>;
}

function pair(a: Values, b: Values): [ArrayLike<number>, ArrayLike<number>] {
  const x = flat(a);
  const y = flat(b);
  if (x.length !== y.length) throw new Error(`cannot compare ${x.length} values with ${y.length}: the sizes must match`);
  return [x, y];
}

/** Largest |a − b| over all entries (0 for two empty inputs). */
export function maxAbsDiff(a: Values, b: Values): number {
  const [x, y] = pair(a, b);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/**
 * Largest |a − b| relative to the largest |b|: max|a − b| / max|b|, with `b`
 * the reference. When `b` is all zeros the absolute difference is returned.
 */
export function maxRelDiff(a: Values, b: Values): number {
  const [x, y] = pair(a, b);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return scale > 0 ? diff / scale : diff;
}
