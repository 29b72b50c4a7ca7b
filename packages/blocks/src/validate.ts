// Argument checks shared by the builders (and by @resnet/residual's): every
// error names the argument and what is valid.
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';

/** @internal Throws unless `x` is a rank-4 NHWC symbolic tensor with a known channel count; returns the channels. */
export function checkInput(x: SymbolicTensor, what: string): number {
  const shape = (x as { shape?: Array<number | null> } | undefined)?.shape;
  if (!Array.isArray(shape)) {
    throw new Error(`${what}: x must be a SymbolicTensor (e.g. from tf.input), got ${String(x)}`);
  }
  const c = shape[3];
  if (shape.length !== 4 || c == null) {
    throw new Error(`${what}: x must be rank 4 [batch, height, width, channels] with known channels, got shape [${shape.map(String).join(', ')}]`);
  }
  return c;
}

/** A value as an error message shows it: numbers as written (`NaN`, `Infinity`), others as JSON. */
function show(v: unknown): string {
  return typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
}

/**
 * Returns `v` if it is a positive integer, else throws `<what> must be a
 * positive integer, got <v>`. Shared by every builder of the `@resnet/*` packages.
 *
 * @example
 * ```ts
 * const filters = checkPositiveInt(64, 'filters'); // 64
 * // checkPositiveInt(1.5, 'filters') throws: filters must be a positive integer, got 1.5
 * ```
 */
export function checkPositiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new Error(`${what} must be a positive integer, got ${show(v)}`);
  }
  return v;
}

/** @internal Throws unless `v` is 1 or 2. */
export function checkStrides(v: unknown, what: string): 1 | 2 {
  const s = v ?? 1;
  if (s !== 1 && s !== 2) throw new Error(`${what} must be 1 or 2, got ${show(v)}`);
  return s;
}

/**
 * Returns `v` if it is a finite number in `[lo, hi]` (`[lo, hi)` with
 * `hiOpen`), else throws `<what> must be a number in [lo, hi), got <v>`. A
 * dropout-style rate is `checkRange(rate, 'dropout', 0, 1, true)`.
 *
 * @example
 * ```ts
 * const rate = checkRange(0.1, 'dropPathRate', 0, 1, true); // 0.1
 * // checkRange(1, 'dropPathRate', 0, 1, true) throws: dropPathRate must be a number in [0, 1), got 1
 * ```
 */
export function checkRange(v: unknown, what: string, lo: number, hi: number, hiOpen = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || (hiOpen ? v >= hi : v > hi)) {
    throw new Error(`${what} must be a number in [${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${show(v)}`);
  }
  return v;
}

/** @internal Throws unless `v` is one of `valid`. */
export function checkOneOf<T extends string>(v: unknown, valid: readonly T[], what: string): T {
  if (!valid.includes(v as T)) {
    throw new Error(`${what} must be one of ${valid.map((x) => `'${x}'`).join(', ')}, got ${show(v)}`);
  }
  return v as T;
}
