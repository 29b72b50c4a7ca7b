/**
 * A safetensors reader: 8-byte little-endian header length, a JSON header that
 * maps names to `{ dtype, shape, data_offsets }`, then the raw little-endian
 * data. Every length and offset in the header is checked against the bytes that
 * are really there before anything is decoded, so a truncated or lying file gets
 * an error that says what is wrong instead of a RangeError or an allocation of
 * whatever size the header claims.
 */
import { DTYPE_BYTES, decodeToFloat32, isSafetensorsDtype, type SafetensorsDtype } from './dtype.js';

/**
 * The largest JSON header accepted, as in the reference Rust implementation
 * (100 MB). A header that claims more is rejected before any allocation.
 */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor's entry in a safetensors header, validated. */
export interface SafetensorsEntry {
  /** Tensor name (state-dict key). */
  name: string;
  /** Element type. */
  dtype: SafetensorsDtype;
  /** Shape (an empty array for a scalar). */
  shape: number[];
  /** Byte offset of the data from the start of the whole file. */
  byteOffset: number;
  /** Length of the data in bytes. */
  byteLength: number;
}

/** A parsed safetensors file: validated entries over the original bytes. */
export interface SafetensorsFile {
  /** Entries in header order. */
  entries: Map<string, SafetensorsEntry>;
  /** The optional `__metadata__` string map. */
  metadata: Record<string, string>;
  /** The bytes of the whole file (not copied). */
  bytes: Uint8Array;
}

function fail(msg: string): never {
  throw new Error(`invalid safetensors file: ${msg}`);
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Parses and validates a safetensors file held in memory. Tensor data is not
 * decoded here; use {@link readTensorAsFloat32}. Rejects: files under 8 bytes,
 * header lengths beyond the file or above {@link MAX_HEADER_BYTES}, non-JSON
 * headers, unknown dtypes, bad shapes, offsets outside the data, byte lengths
 * that disagree with the shape, and data not covered exactly by the tensors
 * (overlaps, gaps, trailing bytes), as the format's reference reader does.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const file = parseSafetensors(readFileSync('model.safetensors'));
 * for (const [name, entry] of file.entries) console.log(name, entry.dtype, entry.shape);
 * ```
 */
export function parseSafetensors(input: Uint8Array | ArrayBuffer): SafetensorsFile {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.byteLength < 8) {
    fail(`file is ${bytes.byteLength} bytes; at least 8 (the header length) are needed`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen64 = dv.getBigUint64(0, true);
  const available = bytes.byteLength - 8;
  if (headerLen64 > BigInt(MAX_HEADER_BYTES)) {
    fail(`header length ${headerLen64} exceeds the ${MAX_HEADER_BYTES}-byte limit (file is ${bytes.byteLength} bytes)`);
  }
  const headerLen = Number(headerLen64);
  if (headerLen > available) {
    fail(`header length ${headerLen} runs past the end of the file (${available} bytes after the length field; truncated?)`);
  }
  if (headerLen < 2) fail(`header length ${headerLen} is too small to hold a JSON object`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    fail('header must be a JSON object mapping tensor names to {dtype, shape, data_offsets}');
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.byteLength - dataStart;
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} must be a string, got ${typeof v}`);
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    if (raw === null || typeof raw !== 'object') fail(`entry '${name}' must be an object`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (!isSafetensorsDtype(dtype)) {
      fail(`tensor '${name}' has dtype ${JSON.stringify(dtype)}; supported: ${Object.keys(DTYPE_BYTES).join(', ')}`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`tensor '${name}' has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      fail(`tensor '${name}' has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataLen) {
      fail(`tensor '${name}' data_offsets [${begin}, ${end}] exceed the ${dataLen} data bytes present (truncated file?)`);
    }
    const expected = product(shape as number[]) * DTYPE_BYTES[dtype];
    if (end - begin !== expected) {
      fail(
        `tensor '${name}' spans ${end - begin} bytes but shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${expected}`,
      );
    }
    entries.set(name, {
      name,
      dtype,
      shape: [...(shape as number[])],
      byteOffset: dataStart + begin,
      byteLength: end - begin,
    });
  }
  // As the reference reader: sorted by offset, the tensors must tile the data
  // section exactly — no overlap (one tensor aliasing another), no gap, no trailing bytes.
  const sorted = [...entries.values()].sort((a, b) => a.byteOffset - b.byteOffset || a.byteLength - b.byteLength);
  let covered = 0;
  for (const e of sorted) {
    const begin = e.byteOffset - dataStart;
    if (begin !== covered) {
      fail(`tensor '${e.name}' starts at byte ${begin} but the previous data ends at ${covered} (${begin > covered ? 'a gap' : 'an overlap'})`);
    }
    covered += e.byteLength;
  }
  if (covered !== dataLen) fail(`the tensors cover ${covered} of the ${dataLen} data bytes (${dataLen - covered} trailing bytes)`);
  return { entries, metadata, bytes };
}

/**
 * Decodes one tensor of a parsed file to float32 (F16/BF16/integers are widened).
 *
 * @example
 * ```ts
 * const bytes = writeSafetensors({ 'fc.bias': { shape: [2], data: [0.5, -1] } });
 * readTensorAsFloat32(parseSafetensors(bytes), 'fc.bias'); // Float32Array [0.5, -1]
 * ```
 */
export function readTensorAsFloat32(file: SafetensorsFile, name: string): Float32Array {
  const e = file.entries.get(name);
  if (!e) {
    throw new Error(`safetensors file has no tensor '${name}' (it has ${file.entries.size} tensors)`);
  }
  return decodeToFloat32(file.bytes, e.byteOffset, product(e.shape), e.dtype);
}

/** True on little-endian hosts, where F32 data can be viewed in place. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * One `F32` tensor of a parsed file as a view over the file's own bytes (no
 * copy) where the data is 4-byte aligned on a little-endian host; otherwise
 * decoded as {@link readTensorAsFloat32} does. A view shares memory with the
 * file: the loaders only read it, and copy before keeping anything.
 */
export function viewTensorAsFloat32(file: SafetensorsFile, name: string): Float32Array {
  const e = file.entries.get(name);
  const start = e ? file.bytes.byteOffset + e.byteOffset : 0;
  if (e?.dtype === 'F32' && LITTLE_ENDIAN && start % 4 === 0) return new Float32Array(file.bytes.buffer, start, e.byteLength / 4);
  return readTensorAsFloat32(file, name);
}
