/**
 * Flag parsers for commander: each turns a string into a checked value or
 * throws InvalidArgumentError with what was wrong and what is valid, which
 * commander prints as `error: option '--lr <n>' argument 'x' is invalid. …`
 * and exits non-zero.
 */
import { InvalidArgumentError } from 'commander';
import { FLOAT32_RANGE, fitsFloat32 } from '../train/recipe.js';

/** A positive integer. */
export function positiveInt(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

/** A non-negative integer. */
export function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer >= 0.');
  return n;
}

/** An integer (the seed), any sign. */
export function integer(v: string): number {
  const n = Number(v);
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer.');
  return n;
}

/** A number > 0 that float32 holds (the weights are float32: 1e39 would be Infinity, 1e-46 zero). */
export function positiveNumber(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !fitsFloat32(n) || n <= 0) throw new InvalidArgumentError(`expected a number > 0 ${FLOAT32_RANGE}.`);
  return n;
}

/** A number >= 0 that float32 holds. */
export function nonNegativeNumber(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !fitsFloat32(n) || n < 0) throw new InvalidArgumentError(`expected a number >= 0 ${FLOAT32_RANGE}.`);
  return n;
}

/** Momentum: a number in [0, 1). */
export function momentum(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError('expected a number in [0, 1), e.g. 0.9.');
  return n;
}

/** One of a fixed set of values. */
export function oneOf<T extends string>(values: readonly T[]): (v: string) => T {
  return (v: string) => {
    if (!(values as readonly string[]).includes(v)) throw new InvalidArgumentError(`valid values: ${values.join(', ')}.`);
    return v as T;
  };
}

/** A comma-separated list of positive integers, e.g. `16,32,64`. */
export function intList(v: string): number[] {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) {
    throw new InvalidArgumentError('expected comma-separated positive integers, e.g. 16,32,64.');
  }
  return parts.map(Number);
}

/** A comma-separated list of names. */
export function nameList(v: string): string[] {
  const parts = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw new InvalidArgumentError('expected comma-separated names.');
  return parts;
}
