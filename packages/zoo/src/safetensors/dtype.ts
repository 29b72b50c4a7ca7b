/**
 * Element types of the safetensors format and the conversions between them and
 * float32. Half-precision conversions round to nearest, ties to even, which is
 * what PyTorch's `.half()` and `.bfloat16()` do, so files written here hold the
 * same bits PyTorch would write.
 */

/** The safetensors element types this package reads (and, for the float ones, writes). */
export type SafetensorsDtype =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U8'
  | 'U16'
  | 'U32'
  | 'U64'
  | 'BOOL';

/** Bytes per element of each supported dtype. */
export const DTYPE_BYTES: Readonly<Record<SafetensorsDtype, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  U16: 2,
  U32: 4,
  U64: 8,
  BOOL: 1,
};

/** True when `s` names a dtype this package understands. */
export function isSafetensorsDtype(s: unknown): s is SafetensorsDtype {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_BYTES, s);
}

/** True on little-endian hosts (all current browsers and Node targets), where F32 data is a plain byte copy. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Converts one float32 value to IEEE binary16 bits (round to nearest even). */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) {
    // Inf stays Inf; NaN keeps a quiet-NaN payload bit so it stays NaN.
    return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  }
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow to infinity
  if (e <= 0) {
    // Subnormal half (or zero): shift the mantissa with its implicit bit in.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    const rounded = rem > mid || (rem === mid && (half & 1) === 1) ? half + 1 : half;
    return sign | rounded;
  }
  const half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  const rounded = rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1) ? half + 1 : half;
  return sign | rounded;
}

/** Converts IEEE binary16 bits to the float32 value they denote (exact). */
export function float16BitsToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Converts one float32 value to bfloat16 bits (round to nearest even). */
export function float32ToBfloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) {
    return ((x >>> 16) | 0x40) & 0xffff; // keep NaN a NaN after truncation
  }
  const rounding = 0x7fff + ((x >>> 16) & 1);
  return ((x + rounding) >>> 16) & 0xffff;
}

/** Converts bfloat16 bits to the float32 value they denote (exact). */
export function bfloat16BitsToFloat32(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0]!;
}

let halfTable: Float32Array | null = null;

/** float16BitsToFloat32 of every 16-bit pattern, built on first use (256 KiB). */
function float16Table(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = float16BitsToFloat32(h);
  }
  return halfTable;
}

/** The 16-bit words at `byteOffset` of `bytes` as a view (little-endian host, 2-byte aligned), else null. */
function halfWords(bytes: Uint8Array, byteOffset: number, count: number): Uint16Array | null {
  const start = bytes.byteOffset + byteOffset;
  return LITTLE_ENDIAN && start % 2 === 0 ? new Uint16Array(bytes.buffer, start, count) : null;
}

/**
 * Decodes `count` little-endian elements of `dtype` starting at `byteOffset` of
 * `bytes` into a new Float32Array. 64-bit integers go through BigInt and lose
 * precision beyond 2^24, which is fine for the only ones weights carry
 * (`num_batches_tracked`).
 */
export function decodeToFloat32(
  bytes: Uint8Array,
  byteOffset: number,
  count: number,
  dtype: SafetensorsDtype,
): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * DTYPE_BYTES[dtype]);
  if (dtype === 'F32' && LITTLE_ENDIAN) {
    // Fast path: a byte copy (slice also fixes any misalignment of the source).
    const start = bytes.byteOffset + byteOffset;
    return new Float32Array(bytes.buffer.slice(start, start + count * 4));
  }
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case 'F16': {
      // One table lookup per value (the 65,536 halves decoded once): ~10× faster than decoding each.
      const table = float16Table();
      const halves = halfWords(bytes, byteOffset, count);
      if (halves) for (let i = 0; i < count; i++) out[i] = table[halves[i]!]!;
      else for (let i = 0; i < count; i++) out[i] = table[view.getUint16(i * 2, true)]!;
      break;
    }
    case 'BF16': {
      // bfloat16 is the top half of a float32: shift the bits into place.
      const bits = new Uint32Array(out.buffer);
      const halves = halfWords(bytes, byteOffset, count);
      if (halves) for (let i = 0; i < count; i++) bits[i] = halves[i]! << 16;
      else for (let i = 0; i < count; i++) out[i] = bfloat16BitsToFloat32(view.getUint16(i * 2, true));
      break;
    }
    case 'I64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, true));
      break;
    case 'U64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigUint64(i * 8, true));
      break;
    case 'I32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
      break;
    case 'U32':
      for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, true);
      break;
    case 'I16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
      break;
    case 'U16':
      for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true);
      break;
    case 'I8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case 'U8':
    case 'BOOL':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      break;
  }
  return out;
}

/** Encodes float32 values as little-endian `dtype` bytes (float dtypes, I64, I32 and I8). */
export function encodeFromFloat32(values: ArrayLike<number>, dtype: SafetensorsDtype): Uint8Array {
  const n = values.length;
  if (dtype === 'F32' && LITTLE_ENDIAN) {
    const f = values instanceof Float32Array ? values : Float32Array.from(values);
    return new Uint8Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength));
  }
  const out = new Uint8Array(n * DTYPE_BYTES[dtype]);
  const view = new DataView(out.buffer);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, values[i]!, true);
      break;
    case 'F64':
      for (let i = 0; i < n; i++) view.setFloat64(i * 8, values[i]!, true);
      break;
    case 'F16':
      for (let i = 0; i < n; i++) view.setUint16(i * 2, float32ToFloat16Bits(values[i]!), true);
      break;
    case 'BF16':
      for (let i = 0; i < n; i++) view.setUint16(i * 2, float32ToBfloat16Bits(values[i]!), true);
      break;
    case 'I64':
      for (let i = 0; i < n; i++) view.setBigInt64(i * 8, BigInt(Math.round(values[i]!)), true);
      break;
    case 'I32':
      for (let i = 0; i < n; i++) view.setInt32(i * 4, Math.round(values[i]!), true);
      break;
    case 'I8':
      for (let i = 0; i < n; i++) {
        const v = Math.round(values[i]!);
        if (!(v >= -128 && v <= 127)) throw new Error(`cannot write ${values[i]} as I8 (element ${i}); I8 holds integers -128..127`);
        view.setInt8(i, v);
      }
      break;
    default:
      throw new Error(`cannot write safetensors dtype '${dtype}'; writable dtypes: F64, F32, F16, BF16, I64, I32, I8`);
  }
  return out;
}
