import { describe, expect, it } from 'vitest';
import {
  bfloat16BitsToFloat32,
  decodeToFloat32,
  float16BitsToFloat32,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
} from './dtype.js';
import { MAX_HEADER_BYTES, parseSafetensors, readTensorAsFloat32, viewTensorAsFloat32 } from './read.js';
import { writeSafetensors } from './write.js';

/** Builds a file by hand: header object + raw data bytes, with a chosen length field. */
function handMade(header: object, data: Uint8Array, lengthField?: bigint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthField ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('half-precision conversions (IEEE 754 bit patterns)', () => {
  it('float16 encodes known values', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff); // largest finite half
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // rounds up to +Inf
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0x0000); // tie rounds to even (0)
    expect(float32ToFloat16Bits(3 * 2 ** -25)).toBe(0x0002); // tie 1.5 ulp rounds to even (2)
    expect(float32ToFloat16Bits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(float32ToFloat16Bits(1 / 3)).toBe(0x3555);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie to even (down)
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie to even (up)
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(Infinity)).toBe(0x7c00);
    expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(NaN)))).toBe(true);
  });
  it('float16 decodes known values', () => {
    expect(float16BitsToFloat32(0x3c00)).toBe(1);
    expect(float16BitsToFloat32(0x7bff)).toBe(65504);
    expect(float16BitsToFloat32(0x0001)).toBe(2 ** -24);
    expect(float16BitsToFloat32(0xfc00)).toBe(-Infinity);
    expect(float16BitsToFloat32(0x3555)).toBe(0.333251953125);
  });
  it('every float16 bit pattern survives decode -> encode', () => {
    const bad: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const v = float16BitsToFloat32(h);
      if (!Number.isNaN(v) && float32ToFloat16Bits(v) !== h) bad.push(h);
    }
    expect(bad).toEqual([]);
  });
  it('a tensor decodes every F16 and BF16 bit pattern exactly, from aligned and misaligned offsets', () => {
    const n = 65536;
    const word = new DataView(new ArrayBuffer(4));
    for (const offset of [0, 1]) {
      const bytes = new Uint8Array(2 * n + 1);
      const dv = new DataView(bytes.buffer);
      for (let h = 0; h < n; h++) dv.setUint16(offset + 2 * h, h, true);
      const halves = decodeToFloat32(bytes, offset, n, 'F16');
      const brains = decodeToFloat32(bytes, offset, n, 'BF16');
      const bad: string[] = [];
      for (let h = 0; h < n; h++) {
        // IEEE 754 binary16 by its definition: sign, 5 exponent bits (bias 15), 10 fraction bits.
        const sign = h & 0x8000 ? -1 : 1;
        const e = (h >> 10) & 31;
        const m = h & 1023;
        const half = e === 31 ? (m ? NaN : sign * Infinity) : e === 0 ? sign * m * 2 ** -24 : sign * (1 + m / 1024) * 2 ** (e - 15);
        // bfloat16: the upper 16 bits of a float32.
        word.setUint32(0, h << 16);
        const brain = word.getFloat32(0);
        const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
        if (!same(halves[h]!, half)) bad.push(`F16 0x${h.toString(16)} at offset ${offset}: ${halves[h]} ≠ ${half}`);
        if (!same(brains[h]!, brain)) bad.push(`BF16 0x${h.toString(16)} at offset ${offset}: ${brains[h]} ≠ ${brain}`);
      }
      expect(bad.slice(0, 5)).toEqual([]);
    }
  });

  it('bfloat16 rounds to nearest even', () => {
    expect(float32ToBfloat16Bits(1)).toBe(0x3f80);
    expect(float32ToBfloat16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie, even stays
    expect(float32ToBfloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82); // tie, odd rounds up
    expect(float32ToBfloat16Bits(1 + 2 ** -8 + 2 ** -20)).toBe(0x3f81);
    expect(bfloat16BitsToFloat32(0x3f81)).toBe(1 + 2 ** -7);
    expect(bfloat16BitsToFloat32(0xc000)).toBe(-2);
    expect(Number.isNaN(bfloat16BitsToFloat32(float32ToBfloat16Bits(NaN)))).toBe(true);
  });
});

describe('safetensors round trip', () => {
  it('writes and reads F32/F16/BF16/I64 with metadata and an aligned data section', () => {
    const bytes = writeSafetensors(
      {
        a: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6.5] },
        h: { shape: [3], data: [0.5, -1, 65504], dtype: 'F16' },
        b: { shape: [2], data: [1.5, -3], dtype: 'BF16' },
        n: { shape: [], data: [7], dtype: 'I64' },
      },
      { format: 'pt' },
    );
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLen % 8).toBe(0);
    // data = 6*4 + 3*2 + 2*2 + 8 bytes
    expect(bytes.length).toBe(8 + headerLen + 24 + 6 + 4 + 8);
    const f = parseSafetensors(bytes);
    expect(f.metadata).toEqual({ format: 'pt' });
    expect([...f.entries.keys()]).toEqual(['a', 'h', 'b', 'n']);
    expect(f.entries.get('n')!.shape).toEqual([]);
    expect([...readTensorAsFloat32(f, 'a')]).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect([...readTensorAsFloat32(f, 'h')]).toEqual([0.5, -1, 65504]);
    expect([...readTensorAsFloat32(f, 'b')]).toEqual([1.5, -3]);
    expect([...readTensorAsFloat32(f, 'n')]).toEqual([7]);
  });
  it('reads from an ArrayBuffer and from a Uint8Array view with a non-zero offset', () => {
    const inner = writeSafetensors({ x: { shape: [2], data: [3, 4] } });
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    expect([...readTensorAsFloat32(parseSafetensors(outer.subarray(5)), 'x')]).toEqual([3, 4]);
    expect([...readTensorAsFloat32(parseSafetensors(inner.slice().buffer), 'x')]).toEqual([3, 4]);
  });
  it('rejects a data length that disagrees with the shape on write', () => {
    expect(() => writeSafetensors({ x: { shape: [2, 2], data: [1, 2, 3] } })).toThrow(/3 values but shape \[2, 2\] needs 4/);
  });
});

describe('safetensors validation', () => {
  const data = new Uint8Array(8);
  const good = { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  it('accepts the hand-made baseline', () => {
    expect(parseSafetensors(handMade(good, data)).entries.size).toBe(1);
  });
  it('rejects a file shorter than the length field', () => {
    expect(() => parseSafetensors(new Uint8Array(5))).toThrow(/5 bytes; at least 8/);
  });
  it('rejects a header length beyond the file', () => {
    const f = handMade(good, data, 10_000n);
    expect(() => parseSafetensors(f)).toThrow(/header length 10000 runs past the end/);
  });
  it('rejects a huge declared header without allocating it', () => {
    const f = handMade(good, data, 2n ** 62n);
    expect(() => parseSafetensors(f)).toThrow(new RegExp(`exceeds the ${MAX_HEADER_BYTES}-byte limit`));
  });
  it('rejects a truncated data section', () => {
    const f = handMade(good, data);
    expect(() => parseSafetensors(f.subarray(0, f.length - 3))).toThrow(/exceed the 5 data bytes present/);
  });
  it('rejects offsets whose length disagrees with shape and dtype', () => {
    const h = { x: { dtype: 'F16', shape: [2], data_offsets: [0, 8] } };
    expect(() => parseSafetensors(handMade(h, data))).toThrow(/spans 8 bytes but shape \[2\] of F16 needs 4/);
  });
  it('rejects overlapping tensors', () => {
    const h = {
      x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      y: { dtype: 'F16', shape: [2], data_offsets: [2, 6] },
    };
    expect(() => parseSafetensors(handMade(h, data))).toThrow(/tensor 'y' starts at byte 2 but the previous data ends at 4 \(an overlap\)/);
  });
  it('rejects reversed or negative offsets, bad shapes, unknown dtypes and non-JSON', () => {
    const rev = { x: { dtype: 'F32', shape: [1], data_offsets: [8, 4] } };
    expect(() => parseSafetensors(handMade(rev, data))).toThrow(/data_offsets \[8,4\]/);
    const neg = { x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } };
    expect(() => parseSafetensors(handMade(neg, data))).toThrow(/shape \[-1\]/);
    const dt = { x: { dtype: 'F8_E9', shape: [1], data_offsets: [0, 4] } };
    expect(() => parseSafetensors(handMade(dt, data))).toThrow(/dtype "F8_E9"; supported: F64, F32, F16, BF16/);
    const junk = new Uint8Array(16);
    new DataView(junk.buffer).setBigUint64(0, 8n, true);
    junk.set(new TextEncoder().encode('{"x": [1'), 8);
    expect(() => parseSafetensors(junk)).toThrow(/not valid UTF-8 JSON/);
    expect(() => parseSafetensors(handMade([1, 2], data))).toThrow(/must be a JSON object/);
  });
  it('names the missing tensor', () => {
    expect(() => readTensorAsFloat32(parseSafetensors(handMade(good, data)), 'y')).toThrow(/no tensor 'y'/);
  });
});

describe('viewTensorAsFloat32 (the loaders read F32 in place)', () => {
  const bytes = writeSafetensors({ a: { shape: [3], data: [1.5, -2, 3] }, b: { shape: [2], data: [0.25, 7], dtype: 'F16' } });
  it('an aligned F32 tensor is a view over the file bytes, with the values readTensorAsFloat32 decodes', () => {
    const file = parseSafetensors(bytes);
    const v = viewTensorAsFloat32(file, 'a');
    expect(v.buffer).toBe(bytes.buffer);
    expect([...v]).toEqual([1.5, -2, 3]);
    bytes.set(new Uint8Array(new Float32Array([9]).buffer), file.entries.get('a')!.byteOffset);
    expect(v[0]).toBe(9); // shares the memory: no copy was made
  });
  it('a misaligned F32 tensor or another dtype is decoded into a new array', () => {
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const file = parseSafetensors(shifted);
    const start = shifted.byteOffset + file.entries.get('a')!.byteOffset;
    expect(start % 4).not.toBe(0);
    const v = viewTensorAsFloat32(file, 'a');
    expect(v.buffer).not.toBe(shifted.buffer);
    expect([...v]).toEqual([...readTensorAsFloat32(file, 'a')]);
    const half = viewTensorAsFloat32(file, 'b');
    expect(half.buffer).not.toBe(shifted.buffer);
    expect([...half]).toEqual([0.25, 7]);
  });
  it('names the missing tensor', () => {
    expect(() => viewTensorAsFloat32(parseSafetensors(bytes), 'zz')).toThrow(/no tensor 'zz'/);
  });
});
