/**
 * Pillow's resampling, checked by arithmetic written here (the filter, the
 * footprint, the normalisation, the rounding); real photos against PIL itself
 * are in fidelity.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { resample, type Pixels } from './resample.js';

const row = (values: number[], float = false): Pixels => ({
  data: float ? Float32Array.from(values) : Uint8Array.from(values),
  width: values.length,
  height: 1,
  channels: 1,
});

describe('resample (Pillow Resample.c)', () => {
  it('antialiased bilinear downscale: the triangle stretched ×2 over the footprint, normalised, rounded', () => {
    // Output 0: centre 1.0, support 2 → taps x = 0, 1, 2 at (x − 1 + 0.5) / 2 = −0.25, 0.25, 0.75 → 0.75, 0.75, 0.25 → 3/7, 3/7, 1/7.
    // Output 1: centre 3.0 → taps x = 1, 2, 3 → 1/7, 3/7, 3/7.
    const out = resample(row([0, 100, 200, 255]), 2, 1);
    expect([...out.data]).toEqual([Math.round(500 / 7), Math.round((100 + 600 + 765) / 7)]); // 71, 209
    const f = resample(row([0, 100, 200, 255], true), 2, 1);
    expect(f.data[0]).toBeCloseTo(500 / 7, 4);
    expect(f.data[1]).toBeCloseTo(1465 / 7, 4);
  });

  it('bicubic (a = −0.5) upscale: negative lobes, clipped to 0..255 for bytes, not for floats', () => {
    // 2 → 4 pixels, output 0: centre 0.25, taps x = 0, 1 at 0.25, 1.25:
    // k(0.25) = (1.5·0.25 − 2.5)·0.25² + 1 = 0.8671875; k(1.25) = ((1.25 − 5)·1.25 + 8)·1.25 − 4)·(−0.5) = −0.0703125.
    const w0 = 0.8671875 / (0.8671875 - 0.0703125);
    const w1 = -0.0703125 / (0.8671875 - 0.0703125);
    const at0 = (a: number, b: number, float = false) => resample(row([a, b], float), 4, 1, { interpolation: 'bicubic' }).data[0]!;
    expect(at0(100, 200)).toBe(Math.round(100 * w0 + 200 * w1)); // 91
    expect(at0(0, 255)).toBe(0); // −22.5 clipped
    expect(at0(255, 0)).toBe(255); // 277.5 clipped
    expect(at0(0, 255, true)).toBeCloseTo(255 * w1, 4);
  });

  it('a window computes exactly that part of the full resize (both passes, both filters, bytes and floats)', () => {
    const [w, h] = [37, 23];
    const data = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7919) % 256);
    for (const interpolation of ['bilinear', 'bicubic'] as const) {
      for (const src of [{ data, width: w, height: h, channels: 3 }, { data: Float32Array.from(data), width: w, height: h, channels: 3 }]) {
        const full = resample(src, 13, 29, { interpolation });
        const part = resample(src, 13, 29, { interpolation, window: { left: 3, top: 5, width: 7, height: 11 } });
        for (let y = 0; y < 11; y++) {
          expect([...part.data.subarray(y * 21, y * 21 + 21)]).toEqual([...full.data.subarray(((5 + y) * 13 + 3) * 3, ((5 + y) * 13 + 3) * 3 + 21)]);
        }
      }
    }
  });

  it('without antialias, a ×2 bilinear downscale samples like tf.image.resizeBilinear with half-pixel centres', () => {
    const [w, h] = [16, 12];
    const values = Float32Array.from({ length: w * h }, (_, i) => Math.sin(i) * 100 + 120);
    const ours = resample({ data: values, width: w, height: h, channels: 1 }, 8, 6, { antialias: false }).data;
    const ref = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(values, [1, h, w, 1]), [6, 8], false, true).dataSync());
    ours.forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 3));
  });

  it('a size that does not change skips its pass; bad sizes, windows and filters are named', () => {
    const src = row([10, 20, 30]);
    expect([...resample(src, 3, 1).data]).toEqual([10, 20, 30]);
    expect(() => resample(src, 0, 1)).toThrow(/resample: width must be a positive integer, got 0/);
    expect(() => resample(src, 3, 1.5)).toThrow(/resample: height must be a positive integer, got 1.5/);
    expect(() => resample(src, 3, 1, { window: { left: 2, top: 0, width: 2, height: 1 } })).toThrow(/outside the 3×1 output/);
    expect(() => resample(src, 2, 1, { interpolation: 'lanczos' as never })).toThrow(/'bilinear' or 'bicubic', got "lanczos"/);
  });
});
