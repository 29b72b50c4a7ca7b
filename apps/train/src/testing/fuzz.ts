/**
 * Test support: mutation fuzzing of the CIFAR-10 reader and of checkpoint
 * loading with fast-check. Each property starts from a valid input, applies a
 * few random mutations (bit flips, byte writes, truncation, extension, zeroed
 * or duplicated ranges; for the JSON files also edits that keep them JSON: a
 * value replaced by random JSON or a key removed; for checkpoints, optionally
 * with state.json's checksum made to match) and requires the reader to either succeed
 * with sane output or throw an Error whose message names the file — no other
 * exception, no hang (each input is timed), no leaked tensor. Outcomes are
 * tallied so the hand-run script (tools/fuzz.ts) can report them.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { CIFAR_RECORD_BYTES, parseCifarBatch } from '../data/cifar10.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import { fileRecord } from '../train/checkpoint-files.js';

/** One edit of a byte string. Positions are fractions of the length, so one mutation fits any input. */
export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; bytes: Uint8Array }
  | { kind: 'zero'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number };

const where = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/** Random mutations (ranges up to `maxRange` bytes). */
function mutationArb(maxRange: number): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: where, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at: where, value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: where }),
    fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
    fc.record({ kind: fc.constant('zero' as const), at: where, length: fc.integer({ min: 1, max: maxRange }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: where, length: fc.integer({ min: 1, max: maxRange }) }),
  );
}

/** Applies mutations in order to a copy of `bytes`. */
function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let b = Uint8Array.from(bytes);
  for (const m of mutations) {
    const at = 'at' in m ? Math.floor(m.at * b.length) : 0;
    if (m.kind === 'flip' && b.length > 0) b[at] = b[at]! ^ (1 << m.bit);
    else if (m.kind === 'set' && b.length > 0) b[at] = m.value;
    else if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'extend') b = Uint8Array.from([...b, ...m.bytes]);
    else if (m.kind === 'zero') b.fill(0, at, at + m.length);
    else if (m.kind === 'duplicate') b = Uint8Array.from([...b.subarray(0, at + m.length), ...b.subarray(at)]);
  }
  return b;
}

/** Tally of a fuzz run: successes, and each kind of clear error (message with paths and numbers blanked). */
export interface FuzzTally {
  runs: number;
  ok: number;
  errors: Map<string, number>;
  /** Slowest single input, ms. */
  maxMs: number;
}

export function newTally(): FuzzTally {
  return { runs: 0, ok: 0, errors: new Map(), maxMs: 0 };
}

/** A short category of an error message: the file, then its first clause, numbers, paths and details blanked. */
function kindOf(message: string): string {
  const m = /\/([\w.]+\.(?:json|bin)): (.*)$/s.exec(message);
  if (!m) return message.slice(0, 80);
  const rest = m[2]!
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\/\S*\/(?=[\w.]+\.(json|bin))/g, '')
    .replace(/^[\w.]+: (?=\S)/, '')
    .replace(/(?<![A-Za-z\d])\d+(\.\d+)?(e[+-]?\d+)?/g, 'N');
  return `${m[1]}: ${rest.split(/ \(|[:;[]/)[0]!.trim()}`;
}

function record(t: FuzzTally, ms: number, error: Error | null): void {
  t.runs++;
  t.maxMs = Math.max(t.maxMs, ms);
  if (!error) t.ok++;
  else t.errors.set(kindOf(error.message), (t.errors.get(kindOf(error.message)) ?? 0) + 1);
}

/** Thrown when the reader misbehaves; fast-check reports the input that caused it. */
class FuzzFailure extends Error {}

/** A valid CIFAR batch of `n` records with varied labels and pixels. */
function cifarBase(n = 3): Uint8Array {
  const b = new Uint8Array(n * CIFAR_RECORD_BYTES);
  for (let r = 0; r < n; r++) {
    b[r * CIFAR_RECORD_BYTES] = (3 * r + 1) % 10;
    for (let i = 1; i < CIFAR_RECORD_BYTES; i++) b[r * CIFAR_RECORD_BYTES + i] = (r * 31 + i * 7) % 256;
  }
  return b;
}

/** The CIFAR reader property: parses or throws naming the file; output is consistent. */
export function cifarProperty(tally: FuzzTally, maxMs: number): fc.IPropertyWithHooks<[Mutation[], boolean]> {
  const base = cifarBase();
  // A mutation that zeroes one whole record, the signature of a preallocated file.
  const zeroRecord = fc.integer({ min: 0, max: 2 }).map((r): Mutation => ({ kind: 'zero', at: (r * CIFAR_RECORD_BYTES) / base.length, length: CIFAR_RECORD_BYTES }));
  const mutation = fc.oneof({ arbitrary: mutationArb(2 * CIFAR_RECORD_BYTES), weight: 6 }, { arbitrary: zeroRecord, weight: 1 });
  return fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (muts, limited) => {
    const bytes = mutate(base, muts);
    const warnings: string[] = [];
    const t0 = performance.now();
    let error: Error | null = null;
    try {
      const s = parseCifarBatch(bytes, 'fuzz/data_batch_1.bin', limited ? 1 : Infinity, (m) => warnings.push(m));
      const total = bytes.length / CIFAR_RECORD_BYTES;
      if (!Number.isInteger(total) || s.count !== Math.min(total, limited ? 1 : Infinity)) throw new FuzzFailure(`accepted ${bytes.length} bytes as ${s.count} records`);
      if (s.labels.some((l) => l > 9) || s.images.length !== s.count * 3072 || !s.images.every(Number.isFinite)) throw new FuzzFailure('inconsistent output');
      if (warnings.some((w) => !w.startsWith('fuzz/data_batch_1.bin: '))) throw new FuzzFailure(`a warning that does not name the file: ${warnings[0]}`);
    } catch (e) {
      if (e instanceof FuzzFailure) throw e;
      if (!(e instanceof Error) || e.constructor !== Error || !e.message.startsWith('fuzz/data_batch_1.bin: ')) {
        throw new FuzzFailure(`not a clear error: ${String(e)}`);
      }
      error = e;
    }
    const ms = performance.now() - t0;
    if (ms > maxMs) throw new FuzzFailure(`took ${ms.toFixed(0)} ms`);
    record(tally, ms, error);
  });
}

/** How a checkpoint input is damaged: which file, how, and whether state.json's checksum is made to match. */
export interface CheckpointDamage {
  file: string;
  /** JSON-aware edits first (JSON files only): set the value at path index `at` (mod paths) to `value`, or delete it. */
  edits: Array<{ at: number; value: unknown; remove: boolean }>;
  /** Then byte mutations. */
  mutations: Mutation[];
  /** Rewrite state.json's size and SHA-256 for the damaged file, so the checks behind the checksum are reached too. */
  rechecksum: boolean;
}

function paths(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (v === null || typeof v !== 'object') return [prefix];
  const keys: Array<string | number> = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [prefix, ...keys.flatMap((k) => paths((v as Record<string | number, unknown>)[k], [...prefix, k]))];
}

function edit(json: Record<string, unknown>, e: CheckpointDamage['edits'][number]): void {
  const all = paths(json).filter((p) => p.length > 0);
  if (all.length === 0) return;
  const path = all[e.at % all.length]!;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, json);
  const key = path[path.length - 1]!;
  if (e.remove && !Array.isArray(parent)) delete parent[key];
  else parent[key] = e.value;
}

/** Arbitrary damage to a checkpoint whose files are `names`. */
function damageArb(names: string[]): fc.Arbitrary<CheckpointDamage> {
  return fc.record({
    file: fc.constantFrom(...names),
    edits: fc.array(fc.record({ at: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }), remove: fc.boolean() }), { maxLength: 2 }),
    mutations: fc.array(mutationArb(256), { minLength: 0, maxLength: 3 }),
    rechecksum: fc.boolean(),
  });
}

/** Reads every file of a checkpoint folder into memory (the fuzzer's starting point). */
export function readFolder(dir: string): Map<string, Uint8Array> {
  return new Map(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
}

/** The checkpoint-loading property: loads (finite weights) or throws naming a file of the folder; no tensor leaks. */
export function checkpointProperty(
  base: Map<string, Uint8Array>,
  dir: string,
  tally: FuzzTally,
  maxMs: number,
  /** Sees each input before it is tried (the hand-run script records it, so a hang can be traced). */
  onInput: (d: CheckpointDamage) => void = () => {},
): fc.IAsyncPropertyWithHooks<[CheckpointDamage]> {
  mkdirSync(dir, { recursive: true });
  return fc.asyncProperty(damageArb([...base.keys()]), async (d) => {
    onInput(d);
    const files = new Map(base);
    let bytes = base.get(d.file)!;
    if (d.file.endsWith('.json') && d.edits.length > 0) {
      const json = JSON.parse(Buffer.from(bytes).toString()) as Record<string, unknown>;
      d.edits.forEach((e) => edit(json, e));
      bytes = Buffer.from(JSON.stringify(json));
    }
    files.set(d.file, mutate(bytes, d.mutations));
    if (d.rechecksum && d.file !== 'state.json') {
      const state = JSON.parse(Buffer.from(base.get('state.json')!).toString()) as { files: Record<string, unknown> };
      state.files[d.file] = fileRecord(files.get(d.file)!);
      files.set('state.json', Buffer.from(JSON.stringify(state)));
    }
    for (const [f, bytes] of files) writeFileSync(join(dir, f), bytes);
    const tensors = tf.memory().numTensors;
    const t0 = performance.now();
    let error: Error | null = null;
    try {
      const ck = await loadCheckpoint(dir, { warn: () => {} });
      const finite = ck.model.weights.every((w) => w.read().dataSync().every(Number.isFinite));
      ck.model.dispose();
      tf.dispose(ck.buffers ?? []);
      if (!finite) throw new FuzzFailure('loaded non-finite weights');
    } catch (e) {
      if (e instanceof FuzzFailure) throw e;
      const named = e instanceof Error && e.constructor === Error && e.message.startsWith(`no valid checkpoint in '${dir}': ${dir}/`);
      if (!named) throw new FuzzFailure(`not a clear error: ${String(e)}`);
      error = e as Error;
    }
    const ms = performance.now() - t0;
    if (ms > maxMs) throw new FuzzFailure(`took ${ms.toFixed(0)} ms`);
    if (tf.memory().numTensors !== tensors) throw new FuzzFailure(`${tf.memory().numTensors - tensors} tensors leaked`);
    record(tally, ms, error);
  });
}
