import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyByteMutations, applyJsonMutations, byteMutations, FUZZ_OPTIONS, FUZZ_RUNS, jsonMutations, Outcomes } from '../testing/fuzz.js';
import { parseSafetensors, readTensorAsFloat32 } from './read.js';
import { writeSafetensors } from './write.js';

const base = writeSafetensors(
  {
    'conv.weight': { shape: [2, 3, 3, 3], data: Array.from({ length: 54 }, (_, i) => i / 7), dtype: 'F32' },
    'bn.running_var': { shape: [4], data: [1, 2, 3, 4], dtype: 'F16' },
    'bn.weight': { shape: [4], data: [0.5, 1, 2, 4], dtype: 'BF16' },
    'bn.num_batches_tracked': { shape: [], data: [7], dtype: 'I64' },
    'mask': { shape: [3], data: [1, 0, 1], dtype: 'I32' },
    'empty': { shape: [0, 5], data: [] },
    'fc.bias': { shape: [2], data: [1, -1], dtype: 'F64' },
  },
  { format: 'pt' },
);
const headerLen = Number(new DataView(base.buffer).getBigUint64(0, true));
const header = JSON.parse(new TextDecoder().decode(base.subarray(8, 8 + headerLen))) as unknown;
const data = base.subarray(8 + headerLen);
const CLEAR = [/^Error: invalid safetensors file: /];

/** Parses, then decodes every tensor: the whole reader. */
function readAll(bytes: Uint8Array): void {
  const file = parseSafetensors(bytes);
  for (const name of file.entries.keys()) readTensorAsFloat32(file, name);
}

function attempt(bytes: Uint8Array, out: Outcomes): void {
  try {
    readAll(bytes);
    out.record(null, CLEAR);
  } catch (e) {
    out.record(e, CLEAR);
  }
}

function withHeader(json: unknown, body: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(json) ?? 'null');
  const out = new Uint8Array(8 + h.byteLength + body.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.byteLength), true);
  out.set(h, 8);
  out.set(body, 8 + h.byteLength);
  return out;
}

describe(`safetensors reader under fuzzing (${FUZZ_RUNS} inputs per property)`, () => {
  it('mutated bytes: only its own clear errors', () => {
    readAll(base);
    const out = new Outcomes();
    fc.assert(fc.property(byteMutations(256), (m) => attempt(applyByteMutations(base, m), out)), FUZZ_OPTIONS);
    console.log(out.summary('safetensors (bytes)'));
    expect(out.total).toBe(FUZZ_RUNS);
    expect(out.rssGrowthMiB).toBeLessThan(256);
  });

  it('mutated headers (offsets, shapes, dtypes, names) over mutated data: only its own clear errors', () => {
    const out = new Outcomes();
    const prop = fc.property(jsonMutations(), fc.integer({ min: -16, max: 16 }), (m, grow) => {
      const body = grow >= 0 ? new Uint8Array([...data, ...new Uint8Array(grow)]) : data.subarray(0, Math.max(0, data.byteLength + grow));
      attempt(withHeader(applyJsonMutations(header, m), body), out);
    });
    fc.assert(prop, FUZZ_OPTIONS);
    console.log(out.summary('safetensors (header)'));
    expect(out.total).toBe(FUZZ_RUNS);
    expect(out.counts.get('accepted') ?? 0).toBeLessThan(FUZZ_RUNS);
  });
});
