/**
 * A safetensors writer. Tensors are laid out in the order given, back to back,
 * with the header padded with spaces to a multiple of 8 bytes so that the data
 * section is aligned, as the reference implementation does.
 */
import { DTYPE_BYTES, encodeFromFloat32, isSafetensorsDtype, type SafetensorsDtype } from './dtype.js';

/** One tensor to write. */
export interface SafetensorsTensor {
  /** Shape; `[]` for a scalar. */
  shape: number[];
  /** Values in row-major order; converted to `dtype` on write. */
  data: ArrayLike<number>;
  /** Stored element type (default `'F32'`). */
  dtype?: SafetensorsDtype;
}

/**
 * Serialises named tensors to safetensors bytes. Throws for anything
 * {@link parseSafetensors} would refuse to read back: a shape that is not an
 * array of non-negative safe integers, an unknown dtype, non-string metadata,
 * or data whose length does not match the shape.
 *
 * @example
 * ```ts
 * const bytes = writeSafetensors(
 *   { 'fc.weight': { shape: [2, 3], data: new Float32Array(6) }, 'fc.bias': { shape: [2], data: [0, 0] } },
 *   { format: 'pt' },
 * );
 * ```
 */
export function writeSafetensors(
  tensors: Record<string, SafetensorsTensor> | Map<string, SafetensorsTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const list = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata ?? {})) {
    if (typeof v !== 'string') throw new Error(`__metadata__.${k} must be a string, got ${typeof v} (the format stores a string map)`);
  }
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of list) {
    if (name === '__metadata__') throw new Error("a tensor cannot be named '__metadata__' (reserved by the format)");
    const dtype = t.dtype ?? 'F32';
    if (!isSafetensorsDtype(dtype)) throw new Error(`tensor '${name}' has dtype ${JSON.stringify(dtype)}; supported: ${Object.keys(DTYPE_BYTES).join(', ')}`);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new Error(`tensor '${name}' has shape ${JSON.stringify(t.shape)}; expected an array of non-negative integers`);
    }
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== n) {
      throw new Error(`tensor '${name}' has ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${n}`);
    }
    const enc = encodeFromFloat32(t.data, dtype);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + n * DTYPE_BYTES[dtype]] };
    chunks.push(enc);
    offset += enc.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let pos = 8 + json.byteLength;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.byteLength;
  }
  return out;
}
