/**
 * Image resampling as Pillow's `Image.resize` does it (src/libImaging/Resample.c),
 * so that a torchvision eval transform (which resizes PIL images) gives the same
 * pixels here. Two separable passes, horizontal then vertical; each output pixel
 * is a weighted sum over the whole source footprint: the filter's support is
 * stretched by the downscale factor, which is what antialiasing means.
 *
 * 8-bit pixels follow Pillow to the bit: coefficients normalised to sum 1 and
 * rounded to 22-bit fixed point, the intermediate image rounded and clipped to
 * uint8 between the passes. Float pixels use the same coefficients unrounded and
 * are not rounded between passes (torchvision's tensor path with antialias).
 */

import type { Interpolation } from '../spec/transform.js';
import { checkPositiveInt } from '@resnet/blocks';

/** Interleaved pixels, row-major, `channels` values per pixel. */
export interface Pixels {
  /** 0..255 bytes (resampled as Pillow does) or floats (no rounding between passes). */
  data: Uint8Array | Float32Array;
  width: number;
  height: number;
  channels: number;
}

/** A rectangle of the resized image to compute (the center crop), in output pixels. */
export interface Window {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Pillow's fixed-point precision: 32 bits less 8 for the value and 2 for overshoot. */
const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

interface Filter {
  support: number;
  at(x: number): number;
}

// The arithmetic below keeps Pillow's order of operations, so the doubles (and
// therefore the rounded fixed-point coefficients) are the same.
const FILTERS: Record<Interpolation, Filter> = {
  bilinear: {
    support: 1,
    at(x) {
      if (x < 0) x = -x;
      return x < 1 ? 1 - x : 0;
    },
  },
  bicubic: {
    support: 2,
    at(x) {
      const a = -0.5;
      if (x < 0) x = -x;
      if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
      if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
      return 0;
    },
  },
};

/** Per output pixel: the first source pixel, the number of taps, and `size` taps each. */
interface Coefficients {
  first: Int32Array;
  count: Int32Array;
  size: number;
  /** Fixed-point integers (bytes) or normalised floats, stored as doubles either way (one array type keeps the loops monomorphic). */
  weights: Float64Array;
}

/**
 * Pillow's `precompute_coeffs` for a full-image box: the filter centred on each
 * output pixel's centre in source coordinates, its support scaled by the
 * downscale factor when `antialias` (never below 1), normalised to sum 1.
 */
function coefficients(inSize: number, outSize: number, filter: Filter, antialias: boolean, fixed: boolean): Coefficients {
  const scale = inSize / outSize;
  const filterScale = antialias ? Math.max(scale, 1) : 1;
  const support = filter.support * filterScale;
  const size = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * size);
  const inv = 1 / filterScale;
  const k = new Float64Array(size);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) cast truncates toward zero; Math.trunc is the same.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const n = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    for (let x = 0; x < n; x++) {
      const w = filter.at((x + xmin - center + 0.5) * inv);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < n; x++) {
      const w = ww !== 0 ? k[x]! / ww : k[x]!;
      // Pillow rounds half away from zero when it converts to fixed point.
      weights[xx * size + x] = fixed ? Math.trunc(w < 0 ? -0.5 + w * ONE : 0.5 + w * ONE) : w;
    }
    first[xx] = xmin;
    count[xx] = n;
  }
  return { first, count, size, weights };
}

/** Pillow's `clip8`: the fixed-point sum (with its rounding half added) to a byte. */
function clip8(sum: number): number {
  const v = Math.floor(sum / ONE);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Output columns `x0 .. x0 + width` of every row of `src` (rows `y0 .. y0 + rows`). */
function horizontal(src: Pixels, c: Coefficients, x0: number, width: number, y0: number, rows: number): Pixels {
  const { data, channels: ch } = src;
  const fixed = data instanceof Uint8Array;
  const out = fixed ? new Uint8Array(width * rows * ch) : new Float32Array(width * rows * ch);
  const start0 = fixed ? HALF : 0;
  const acc = new Float64Array(ch);
  const { first, count, size, weights } = c;
  for (let y = 0; y < rows; y++) {
    const row = (y0 + y) * src.width * ch;
    let o = y * width * ch;
    for (let xx = x0; xx < x0 + width; xx++) {
      const base = xx * size;
      let p = row + first[xx]! * ch;
      const n = count[xx]!;
      if (ch === 3) {
        // The common case, unrolled: this loop is most of the time on a large photo.
        let s0 = start0;
        let s1 = start0;
        let s2 = start0;
        for (let t = 0; t < n; t++, p += 3) {
          const w = weights[base + t]!;
          s0 += data[p]! * w;
          s1 += data[p + 1]! * w;
          s2 += data[p + 2]! * w;
        }
        out[o++] = fixed ? clip8(s0) : s0;
        out[o++] = fixed ? clip8(s1) : s1;
        out[o++] = fixed ? clip8(s2) : s2;
        continue;
      }
      acc.fill(start0);
      for (let t = 0; t < n; t++, p += ch) {
        const w = weights[base + t]!;
        for (let k = 0; k < ch; k++) acc[k]! += data[p + k]! * w;
      }
      for (let k = 0; k < ch; k++) out[o++] = fixed ? clip8(acc[k]!) : acc[k]!;
    }
  }
  return { data: out, width, height: rows, channels: ch };
}

/** Output rows `y0 .. y0 + height` of `src`, whose row 0 is source row `offset`. */
function vertical(src: Pixels, c: Coefficients, y0: number, height: number, offset: number): Pixels {
  const { data, width, channels: ch } = src;
  const fixed = data instanceof Uint8Array;
  const line = width * ch;
  const out = fixed ? new Uint8Array(line * height) : new Float32Array(line * height);
  const acc = new Float64Array(line);
  for (let yo = 0; yo < height; yo++) {
    const yy = y0 + yo;
    const base = yy * c.size;
    const start = (c.first[yy]! - offset) * line;
    acc.fill(fixed ? HALF : 0);
    for (let t = 0, n = c.count[yy]!; t < n; t++) {
      const w = c.weights[base + t]!;
      const p = start + t * line;
      for (let i = 0; i < line; i++) acc[i]! += data[p + i]! * w;
    }
    const o = yo * line;
    for (let i = 0; i < line; i++) out[o + i] = fixed ? clip8(acc[i]!) : acc[i]!;
  }
  return { data: out, width, height, channels: ch };
}

/** The pixels of `window` of `src`, unchanged (a crop). */
export function crop(src: Pixels, window: Window): Pixels {
  const { left, top, width, height } = window;
  const ch = src.channels;
  const out = src.data instanceof Uint8Array ? new Uint8Array(width * height * ch) : new Float32Array(width * height * ch);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * src.width + left) * ch;
    out.set(src.data.subarray(from, from + width * ch), y * width * ch);
  }
  return { data: out, width, height, channels: ch };
}

/** Options of {@link resample}. */
export interface ResampleOptions {
  /** Filter. Default `'bilinear'`. */
  interpolation?: Interpolation;
  /** Stretch the filter over the source footprint when downscaling (Pillow always does). Default true. */
  antialias?: boolean;
  /** Compute only this part of the resized image (e.g. the center crop); the values equal those of the full resize. Default: all of it. */
  window?: Window;
}

/**
 * Resizes `src` to `width` × `height` as Pillow's `Image.resize(size, filter)`
 * (a pass whose size does not change is skipped, as Pillow skips it). With a
 * `window`, only that part of the result is computed.
 *
 * @example
 * ```ts
 * const src = { data: new Uint8Array(640 * 480 * 3), width: 640, height: 480, channels: 3 };
 * const small = resample(src, 320, 240, { interpolation: 'bicubic', antialias: true }); // as PIL's Image.resize((320, 240), BICUBIC)
 * ```
 */
export function resample(src: Pixels, width: number, height: number, opts: ResampleOptions = {}): Pixels {
  const filter = FILTERS[opts.interpolation ?? 'bilinear'];
  if (!filter) throw new Error(`resample: interpolation must be 'bilinear' or 'bicubic', got ${JSON.stringify(opts.interpolation)}`);
  checkPositiveInt(width, 'resample: width');
  checkPositiveInt(height, 'resample: height');
  const win = opts.window ?? { left: 0, top: 0, width, height };
  if (win.left < 0 || win.top < 0 || win.left + win.width > width || win.top + win.height > height) {
    throw new Error(`resample: window ${win.width}×${win.height} at (${win.left}, ${win.top}) is outside the ${width}×${height} output`);
  }
  const antialias = opts.antialias ?? true;
  const fixed = src.data instanceof Uint8Array;
  let img = src;
  let offset = 0;
  let rowsFirst = win.top;
  let rowsCount = win.height;
  const vc = height !== src.height ? coefficients(src.height, height, filter, antialias, fixed) : undefined;
  if (vc) {
    // Only the source rows the vertical pass reads for the window (Pillow's ybox_first / ybox_last).
    rowsFirst = vc.first[win.top]!;
    const last = win.top + win.height - 1;
    rowsCount = vc.first[last]! + vc.count[last]! - rowsFirst;
    offset = rowsFirst;
  }
  if (width !== src.width) {
    img = horizontal(src, coefficients(src.width, width, filter, antialias, fixed), win.left, win.width, rowsFirst, rowsCount);
  } else {
    img = crop(src, { left: win.left, top: rowsFirst, width: win.width, height: rowsCount });
  }
  return vc ? vertical(img, vc, win.top, win.height, offset) : img;
}
