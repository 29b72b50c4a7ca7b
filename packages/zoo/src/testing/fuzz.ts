/**
 * Shared pieces of the readers' fuzz tests (fast-check): byte-level mutations
 * of a valid file, structural mutations of a JSON value, and the verdict that a
 * reader may fail only with its own clear errors. `FUZZ_RUNS` sets the number
 * of inputs per reader (a few hundred in `pnpm test`; `pnpm fuzz` runs 10,000).
 */
import fc from 'fast-check';

/** Inputs per reader in this run. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/**
 * fast-check options of every fuzz property: a fixed seed (`FUZZ_SEED`, default
 * 14) so `pnpm test` sees the same inputs on every run; change it to explore.
 */
export const FUZZ_OPTIONS = { numRuns: FUZZ_RUNS, seed: Number(process.env.FUZZ_SEED ?? 14) };

/** Integers that break length and offset arithmetic. */
const INTERESTING = [0, 1, 7, 8, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, -1, -(2 ** 31)];

/** One edit of a byte array; positions are taken modulo its length. */
export type ByteMutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'int64'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; n: number };

/** Mutations that favour the first `head` bytes (where headers live), else anywhere. */
export function byteMutations(head = 4096): fc.Arbitrary<ByteMutation[]> {
  const at = fc.oneof(fc.nat({ max: head - 1 }), fc.nat());
  const one: fc.Arbitrary<ByteMutation> = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, bit: fc.nat({ max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at, value: fc.nat({ max: 255 }) }),
    fc.record({ kind: fc.constant('int64' as const), at, value: fc.constantFrom(...INTERESTING) }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
    fc.record({ kind: fc.constant('delete' as const), at, n: fc.integer({ min: 1, max: 64 }) }),
  );
  return fc.array(one, { minLength: 1, maxLength: 6 });
}

/** A mutated copy of `base`. */
export function applyByteMutations(base: Uint8Array, muts: ByteMutation[]): Uint8Array {
  let b: Uint8Array = base.slice();
  for (const m of muts) {
    const at = b.byteLength ? m.at % b.byteLength : 0;
    if (m.kind === 'flip') b[at] = (b[at] ?? 0) ^ (1 << m.bit);
    else if (m.kind === 'set') b[at] = m.value;
    else if (m.kind === 'int64') {
      const v = new Uint8Array(8);
      new DataView(v.buffer).setBigInt64(0, BigInt(m.value), true);
      b.set(v.subarray(0, Math.min(8, b.byteLength - at)), at);
    } else if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'insert') b = concat(b.subarray(0, at), m.bytes, b.subarray(at));
    else b = concat(b.subarray(0, at), b.subarray(Math.min(b.byteLength, at + m.n)));
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** One edit of a JSON value: the node at a (wrapped) path index gets a new value, or is removed. */
interface JsonMutation {
  node: number;
  action: 'replace' | 'remove';
  value: unknown;
}

/** Structural JSON mutations; new values are interesting numbers or arbitrary JSON. */
export function jsonMutations(): fc.Arbitrary<JsonMutation[]> {
  const value = fc.oneof(fc.constantFrom(...INTERESTING, 1e300, -0.5, 3.5, '', '..', '../x', '/etc/hostname', 'F32', 'float32', null), fc.jsonValue({ maxDepth: 2 }));
  return fc.array(fc.record({ node: fc.nat(), action: fc.constantFrom('replace' as const, 'replace' as const, 'remove' as const), value }), { minLength: 1, maxLength: 4 });
}

/** A mutated deep copy of `json`. */
export function applyJsonMutations(json: unknown, muts: JsonMutation[]): unknown {
  const root = { v: structuredClone(json) as unknown };
  for (const m of muts) {
    const slots: Array<[Record<string, unknown> | unknown[], string | number]> = [];
    const walk = (holder: Record<string, unknown> | unknown[], key: string | number) => {
      slots.push([holder, key]);
      const v = (holder as Record<string | number, unknown>)[key];
      if (Array.isArray(v)) v.forEach((_, i) => walk(v, i));
      else if (v && typeof v === 'object') Object.keys(v).forEach((k) => walk(v as Record<string, unknown>, k));
    };
    walk(root, 'v');
    const [holder, key] = slots[m.node % slots.length]!;
    if (m.action === 'remove' && key !== 'v') {
      if (Array.isArray(holder)) holder.splice(key as number, 1);
      else delete (holder as Record<string, unknown>)[key];
    } else (holder as Record<string | number, unknown>)[key] = structuredClone(m.value);
  }
  return root.v;
}

/** Tally of how the inputs of one fuzz run ended. */
export class Outcomes {
  readonly counts = new Map<string, number>();
  private readonly t0 = Date.now();
  private peakRss = process.memoryUsage().rss;
  private readonly rss0 = this.peakRss;

  /** Records an input that loaded (`null`) or failed with `err`, which must match one of `clear`. */
  record(err: unknown, clear: RegExp[]): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
    if (err == null) return this.add('accepted');
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (!clear.some((re) => re.test(msg))) throw new Error(`not one of the reader's clear errors: ${msg}`);
    if (process.env.FUZZ_LOG) console.log(`fuzz outcome: ${msg}`);
    this.add(msg.replace(/[\d.]+|'[^']*'|"[^"]*"|\[[^\]]*\]|\([^)]*\)/g, '…').slice(0, 90));
  }

  private add(k: string): void {
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }

  /** Inputs recorded. */
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  /** Growth of the resident set over the run, in MiB. */
  get rssGrowthMiB(): number {
    return (this.peakRss - this.rss0) / 2 ** 20;
  }

  /** One line per run: count, time, memory, the commonest outcomes. */
  summary(reader: string): string {
    const top = [...this.counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
    return `fuzz ${reader}: ${this.total} inputs in ${((Date.now() - this.t0) / 1000).toFixed(1)} s, peak RSS +${this.rssGrowthMiB.toFixed(0)} MiB; ` +
      top.map(([k, n]) => `${n}× ${k}`).join('; ');
  }
}
