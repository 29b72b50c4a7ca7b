// Summaries of interleaved bench rounds: every contestant is measured once per
// round, and the figures are medians over the rounds with the per-round range,
// so that a noisy round shows instead of hiding in an average.
import { median } from './timing.js';

/** One figure of one contestant in one round (e.g. its median latency in ms). */
export interface RoundFigure {
  /** Which figure, e.g. 'ort-web b1 warm'. */
  key: string;
  value: number;
}

/** A figure over all rounds. */
export interface RoundSummary {
  key: string;
  /** Median of the per-round values. */
  median: number;
  /** Lowest and highest per-round value. */
  min: number;
  max: number;
  /** Per-round values, in round order. */
  values: number[];
}

/** Collects figures round by round; `summary()` gives each key's median and range, in first-seen order. */
export class Rounds {
  private readonly byKey = new Map<string, number[]>();

  /** Records `value` for `key` in the current round. */
  add(key: string, value: number): void {
    const list = this.byKey.get(key) ?? [];
    list.push(value);
    this.byKey.set(key, list);
  }

  /** The values of `key` so far (one per round that measured it). */
  values(key: string): number[] {
    return this.byKey.get(key) ?? [];
  }

  /** Each key's median over rounds and per-round range. */
  summary(): RoundSummary[] {
    return [...this.byKey].map(([key, values]) => ({ key, median: median(values), min: Math.min(...values), max: Math.max(...values), values }));
  }
}

/** The per-round ratios a/b of two keys measured in the same rounds, summarised like a figure (null if either is missing). */
export function ratioSummary(rounds: Rounds, a: string, b: string): RoundSummary | null {
  const va = rounds.values(a);
  const vb = rounds.values(b);
  if (va.length === 0 || va.length !== vb.length) return null;
  const values = va.map((v, i) => v / vb[i]!);
  return { key: `${a} / ${b}`, median: median(values), min: Math.min(...values), max: Math.max(...values), values };
}

/** '123.4 ms (rounds 120.1–130.9)' or '123.4 ms' for one round. */
export function formatFigure(s: RoundSummary, unit = 'ms', digits = 1): string {
  const range = s.values.length > 1 ? ` (rounds ${s.min.toFixed(digits)}–${s.max.toFixed(digits)})` : '';
  return `${s.median.toFixed(digits)} ${unit}${range}`;
}

/** `v` rounded to 2 decimals (ms figures in JSON lines). */
export const r2 = (v: number): number => Math.round(v * 100) / 100;
/** `v` rounded to 3 decimals (ratios in JSON lines). */
export const r3 = (v: number): number => Math.round(v * 1000) / 1000;
