// Training kernels for the tfjs wasm backend, in WebAssembly SIMD (128-bit).
//
// Built by scripts/build-kernels.mjs (clang --target=wasm32 -msimd128) into a
// module that imports the wasm backend's own memory: every pointer below is an
// offset into that memory, so tensors are read and written in place, no copies.
// The module has no data, no stack and no allocator: every function only reads
// its inputs and writes its outputs (scratch space is passed in by the caller).
// All tensors are channels-last (NHWC) float32.

#include "common.h"

// ceil(a / b) for b > 0 and any sign of a.
INLINE int ceil_div(int a, int b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
// floor(a / b) for b > 0 and any sign of a.
INLINE int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// One R × (4·Q) tile of a filter gradient: dw[r][4q..4q+3] += Σ x[r] · dy[4q..4q+3]
// over the output rows oy0..oy1 and columns ox0..ox1 of one image and one tap.
// R and Q are compile-time constants after inlining, so `acc` lives in locals.
INLINE void filter_tile(int R, int Q, const float *xb, const float *dyb, float *dwt,
                        int oy0, int oy1, int ox0, int ox1, int w, int ci, int wo, int co,
                        int sh, int sw, int row_off, int col_off) {
  f4 acc[4][4];
  for (int r = 0; r < R; r++)
    for (int q = 0; q < Q; q++) acc[r][q] = wasm_v128_load(dwt + r * co + 4 * q);
  const int xstep = sw * ci;
  for (int oy = oy0; oy < oy1; oy++) {
    const float *xp = xb + ((oy * sh + row_off) * w + ox0 * sw + col_off) * ci;
    const float *dp = dyb + (oy * wo + ox0) * co;
    for (int ox = ox0; ox < ox1; ox++) {
      f4 d[4];
      for (int q = 0; q < Q; q++) d[q] = wasm_v128_load(dp + 4 * q);
      for (int r = 0; r < R; r++) {
        const f4 a = wasm_v128_load32_splat(xp + r);
        for (int q = 0; q < Q; q++) acc[r][q] = MADD_N(R * Q, acc[r][q], a, d[q]);
      }
      xp += xstep;
      dp += co;
    }
  }
  for (int r = 0; r < R; r++)
    for (int q = 0; q < Q; q++) wasm_v128_store(dwt + r * co + 4 * q, acc[r][q]);
}

// Runs the R-row tiles of one tap over the output channels: 8 at a time, then 4.
INLINE void filter_rows(int R, const float *xb, const float *dyb, float *dwt, int oy0, int oy1,
                        int ox0, int ox1, int w, int ci, int wo, int co, int sh, int sw,
                        int row_off, int col_off) {
  int o = 0;
  for (; o + 8 <= co; o += 8)
    filter_tile(R, 2, xb, dyb + o, dwt + o, oy0, oy1, ox0, ox1, w, ci, wo, co, sh, sw, row_off, col_off);
  for (; o < co; o += 4)
    filter_tile(R, 1, xb, dyb + o, dwt + o, oy0, oy1, ox0, ox1, w, ci, wo, co, sh, sw, row_off, col_off);
}

// Along one axis: the outputs [*first, *end) of the `out` whose input o·stride + tap − pad lies inside [0, size).
INLINE void tap_range(int tap, int size, int out, int stride, int pad, int *first, int *end) {
  *first = max_i(0, ceil_div(pad - tap, stride));
  *end = min_i(out, floor_div(size - 1 + pad - tap, stride) + 1);
}

// The filter gradient of tap row i for fewer than 4 input channels (an RGB stem):
// the fw·ci (tap column, channel) pairs of the row are consecutive floats of an input
// row, k = j·ci + c, and consecutive rows of dw, so they tile 4 at a time as channels
// do. A tile runs over the columns where each of its taps reads inside the row; each
// pair then adds the columns only it reads, alone.
INLINE void filter_row_pairs(const float *xb, const float *dyb, float *dwr, int oy0, int oy1, int w, int ci,
                             int wo, int co, int fw, int sh, int sw, int row_off, int pl) {
  const int pairs = fw * ci;
  for (int k0 = 0; k0 < pairs; k0 += 4) {
    const int k1 = min_i(pairs, k0 + 4);
    // The tile's columns [t0, t1): none (0, 0) unless 4 pairs share some.
    int t0 = 0, t1 = 0, unused;
    if (k1 - k0 == 4) {
      tap_range(k0 / ci, w, wo, sw, pl, &t0, &unused);
      tap_range((k1 - 1) / ci, w, wo, sw, pl, &unused, &t1);
      if (t0 < t1) filter_rows(4, xb + k0, dyb, dwr + k0 * co, oy0, oy1, t0, t1, w, ci, wo, co, sh, sw, row_off, -pl);
      else t0 = t1 = 0;
    }
    for (int k = k0; k < k1; k++) {
      int a, b;
      tap_range(k / ci, w, wo, sw, pl, &a, &b);
      if (a < min_i(b, t0)) filter_rows(1, xb + k, dyb, dwr + k * co, oy0, oy1, a, min_i(b, t0), w, ci, wo, co, sh, sw, row_off, -pl);
      if (max_i(a, t1) < b) filter_rows(1, xb + k, dyb, dwr + k * co, oy0, oy1, max_i(a, t1), b, w, ci, wo, co, sh, sw, row_off, -pl);
    }
  }
}

// Gradient of a 2-D convolution with respect to its filter:
//   dw[i, j, c, o] = Σ_{b, y, x} x[b, y·sh + i − pt, x·sw + j − pl, c] · dy[b, y, x, o]
// x: [n, h, w, ci], dy: [n, ho, wo, co], dw: [fh, fw, ci, co]; co must be a multiple of 4.
// Dilation 1. Reads outside x (padding) count as zeros.
EXPORT(conv2d_filter_grad)
void conv2d_filter_grad(const float *x, const float *dy, float *dw, int n, int h, int w, int ci,
                        int ho, int wo, int co, int fh, int fw, int sh, int sw, int pt, int pl) {
  const int total = fh * fw * ci * co;
  for (int k = 0; k < total; k += 4) wasm_v128_store(dw + k, wasm_f32x4_splat(0.f));
  for (int b = 0; b < n; b++) {
    const float *xb = x + b * h * w * ci;
    const float *dyb = dy + b * ho * wo * co;
    for (int i = 0; i < fh; i++) {
      // Output rows whose input row y·sh + i − pt lies inside the image.
      int oy0, oy1;
      tap_range(i, h, ho, sh, pt, &oy0, &oy1);
      if (oy0 >= oy1) continue;
      if (ci < 4) {
        filter_row_pairs(xb, dyb, dw + i * fw * ci * co, oy0, oy1, w, ci, wo, co, fw, sh, sw, i - pt, pl);
        continue;
      }
      for (int j = 0; j < fw; j++) {
        int ox0, ox1;
        tap_range(j, w, wo, sw, pl, &ox0, &ox1);
        if (ox0 >= ox1) continue;
        float *dwt = dw + (i * fw + j) * ci * co;
        int c = 0;
        for (; c + 4 <= ci; c += 4)
          filter_rows(4, xb + c, dyb, dwt + c * co, oy0, oy1, ox0, ox1, w, ci, wo, co, sh, sw, i - pt, j - pl);
        for (; c < ci; c++)
          filter_rows(1, xb + c, dyb, dwt + c * co, oy0, oy1, ox0, ox1, w, ci, wo, co, sh, sw, i - pt, j - pl);
      }
    }
  }
}

// Adds the four f32 lanes of `v` to the f64 accumulators at out[0..3].
INLINE void add_to_f64(double *out, f4 v) {
  const v128_t lo = wasm_f64x2_promote_low_f32x4(v);
  const v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  wasm_v128_store(out, wasm_f64x2_add(wasm_v128_load(out), lo));
  wasm_v128_store(out + 2, wasm_f64x2_add(wasm_v128_load(out + 2), hi));
}

// Pixels summed in float32 before a block is added to the float64 totals.
#define BLOCK 64

// Per-channel sums over the m rows of a [m, c] tensor (c a multiple of 4), in float64:
//   out[k]     = Σ_p a[p, k]
//   out[c + k] = Σ_p a[p, k] · (b[p, k] − shift[k])   when b is given (b ≠ 0)
//              = Σ_p a[p, k] · a[p, k]                otherwise
// out: 2c doubles, overwritten. Channel moments use a = x (no b); the
// BatchNorm gradient uses a = dy, b = x, shift = the batch mean.
EXPORT(channel_sums)
void channel_sums(const float *a, const float *b, const float *shift, int m, int c, double *out) {
  for (int k = 0; k < 2 * c; k += 2) wasm_v128_store(out + k, wasm_f64x2_splat(0.0));
  for (int p0 = 0; p0 < m; p0 += BLOCK) {
    const int p1 = min_i(m, p0 + BLOCK);
    for (int k = 0; k < c; k += 4) {
      f4 s1 = wasm_f32x4_splat(0.f), s2 = wasm_f32x4_splat(0.f);
      if (b) {
        const f4 mu = wasm_v128_load(shift + k);
        for (int p = p0; p < p1; p++) {
          const f4 va = wasm_v128_load(a + p * c + k);
          s1 = wasm_f32x4_add(s1, va);
          s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(va, wasm_f32x4_sub(wasm_v128_load(b + p * c + k), mu)));
        }
      } else {
        for (int p = p0; p < p1; p++) {
          const f4 va = wasm_v128_load(a + p * c + k);
          s1 = wasm_f32x4_add(s1, va);
          s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(va, va));
        }
      }
      add_to_f64(out + k, s1);
      add_to_f64(out + c + k, s2);
    }
  }
}

// y[p, k] = x[p, k] · scale[k] + offset[k] over a [m, c] tensor, c a multiple of 4:
// BatchNorm's forward pass (scale = γ/σ, offset = β − μ·γ/σ).
EXPORT(channel_affine)
void channel_affine(const float *x, const float *scale, const float *offset, int m, int c, float *y) {
  for (int p = 0; p < m; p++) {
    const float *xp = x + p * c;
    float *yp = y + p * c;
    for (int k = 0; k < c; k += 4) {
      const f4 v = wasm_f32x4_mul(wasm_v128_load(xp + k), wasm_v128_load(scale + k));
      wasm_v128_store(yp + k, wasm_f32x4_add(v, wasm_v128_load(offset + k)));
    }
  }
}

// dx[p, k] = coef[k] · (dy[p, k] − coef[c + k] − (x[p, k] − coef[2c + k]) · coef[3c + k]):
// the input gradient of training-mode BatchNorm with coef = [γ/σ | mean(dy) | μ | mean(dy·(x−μ))/σ²].
EXPORT(batch_norm_input_grad)
void batch_norm_input_grad(const float *x, const float *dy, const float *coef, int m, int c, float *dx) {
  for (int p = 0; p < m; p++) {
    const int base = p * c;
    for (int k = 0; k < c; k += 4) {
      const f4 centered = wasm_f32x4_sub(wasm_v128_load(x + base + k), wasm_v128_load(coef + 2 * c + k));
      f4 v = wasm_f32x4_sub(wasm_v128_load(dy + base + k), wasm_v128_load(coef + c + k));
      v = wasm_f32x4_sub(v, wasm_f32x4_mul(centered, wasm_v128_load(coef + 3 * c + k)));
      wasm_v128_store(dx + base + k, wasm_f32x4_mul(v, wasm_v128_load(coef + k)));
    }
  }
}

// One tile of a gathered convolution: R output pixels × 4·Q output channels,
// accumulated over every input channel of one tap. src[k] points at pixel k's input
// pixel for the tap (or at `zeros` when the tap falls outside the input); ft at the
// tap's packed filter rows (4·Q floats per input channel, contiguous).
INLINE void conv_tile(int R, int Q, const float *const *src, const float *ft, int ci, f4 acc[4][2]) {
  for (int c = 0; c < ci; c++) {
    f4 wv[2];
    for (int q = 0; q < Q; q++) wv[q] = wasm_v128_load(ft + 4 * (c * Q + q));
    for (int r = 0; r < R; r++) {
      const f4 a = wasm_v128_load32_splat(src[r] + c);
      for (int q = 0; q < Q; q++) acc[r][q] = MADD_N(R * Q, acc[r][q], a, wv[q]);
    }
  }
}

// v / d for v ≥ 0, or -1 when d does not divide v; d = 1 and 2 (every stride a
// ResNet uses) take no division instruction.
INLINE int exact_div(int v, int d) {
  if (d == 1) return v;
  if (d == 2) return (v & 1) ? -1 : v >> 1;
  return v % d ? -1 : v / d;
}

// Geometry of one conv2d call, shared by its helpers. `res` (or 0) is added to the
// output before the ReLU; it is laid out like the output.
typedef struct {
  int h, w, ci, ho, wo, co, fh, fw, sh, sw, dh, dw, pt, pl, qshift, relu;
  const float *bias, *res;
} conv_geom;

// R output pixels x0, x0 + dw, … of row `row` (output row y of the current image),
// output channels o..o + 4Q (filter block fb, packed): bias, taps, epilogue, store.
INLINE void conv_block(int R, int Q, const conv_geom *g, const float *inb, const float *fb, float *out,
                       int row, const float *zeros, int y, int x0, int o) {
  f4 acc[4][2];
  for (int r = 0; r < R; r++)
    for (int q = 0; q < Q; q++) acc[r][q] = g->bias ? LOAD(g->bias + o + 4 * q) : SPLAT(0.f);
  // Pixel r reads input column ix0 + r·step for tap j: with dw > 1 (then sw = 1) the
  // pixels are dw apart in the dilated input, i.e. neighbours in the real one.
  const int step = g->dw == 1 ? g->sw : 1;
  for (int i = 0; i < g->fh; i++) {
    const int v = y * g->sh + i - g->pt;
    const int iy = v < 0 ? -1 : exact_div(v, g->dh);
    if (iy < 0 || iy >= g->h) continue;
    const float *inrow = inb + iy * g->w * g->ci;
    // Undilated, with every pixel's taps of this row inside the input: a pixel's
    // fw taps read fw·ci contiguous floats, and the packed filter holds the row's
    // taps contiguously too, so the row is one tile of fw·ci "channels" (the same
    // sums in the same order; far fewer loop turns when ci is small: the stem).
    const int u0 = x0 * g->sw - g->pl;
    if (g->dw == 1 && u0 >= 0 && u0 + (R - 1) * step + g->fw <= g->w) {
      const float *src[4];
      for (int r = 0; r < R; r++) src[r] = inrow + (u0 + r * step) * g->ci;
      conv_tile(R, Q, src, fb + i * g->fw * g->ci * 4 * Q, g->fw * g->ci, acc);
      continue;
    }
    for (int j = 0; j < g->fw; j++) {
      const int u = x0 * g->sw + j - g->pl;
      int ix0 = u;
      if (g->dw != 1) {
        // u + qshift·dw ≥ 0 has u's remainder modulo dw.
        const int q = exact_div(u + g->qshift * g->dw, g->dw);
        if (q < 0) continue;  // every pixel of the tile reads a hole of the dilation
        ix0 = q - g->qshift;
      }
      const float *src[4];
      for (int r = 0; r < R; r++) {
        const int ix = ix0 + r * step;
        src[r] = ix < 0 || ix >= g->w ? zeros : inrow + ix * g->ci;
      }
      conv_tile(R, Q, src, fb + (i * g->fw + j) * g->ci * 4 * Q, g->ci, acc);
    }
  }
  for (int r = 0; r < R; r++) {
    const int at = (row * g->wo + x0 + r * g->dw) * g->co + o;
    for (int q = 0; q < Q; q++) STORE(out + at + 4 * q, epilogue(acc[r][q], g->res ? g->res + at + 4 * q : 0, g->relu));
  }
}

// Output channels o..o + 4Q of rows y0..y1 of one image (output row y at row
// rowoff + y of out), 4 pixels at a time (6 spills registers in V8 and runs at
// half the speed), then the rest of the row as one tile. Output columns of one
// phase modulo dw share their valid taps, so tiles run along a phase.
INLINE void conv_channels(int Q, const conv_geom *g, const float *inb, const float *fb, float *out,
                          int rowoff, int y0, int y1, const float *zeros, int o) {
  for (int y = y0; y < y1; y++) {
    const int row = rowoff + y;
    for (int phase = 0; phase < g->dw && phase < g->wo; phase++) {
      int x = phase;
      for (; x + 3 * g->dw < g->wo; x += 4 * g->dw) conv_block(4, Q, g, inb, fb, out, row, zeros, y, x, o);
      // The last 1–3 pixels as one tile (7- and 14-wide rows are common).
      if (x + 2 * g->dw < g->wo) conv_block(3, Q, g, inb, fb, out, row, zeros, y, x, o);
      else if (x + g->dw < g->wo) conv_block(2, Q, g, inb, fb, out, row, zeros, y, x, o);
      else if (x < g->wo) conv_block(1, Q, g, inb, fb, out, row, zeros, y, x, o);
    }
  }
}

// Packs output channels o0..o1 of filter [fh, fw, ci, co] into blocks of 8 (then
// 4), each [fh, fw, ci, 8] contiguous at packed + o·taps_ci, so that a block's rows
// are read sequentially and stay cached.
EXPORT(pack_filter)
void pack_filter(const float *f, float *packed, int taps_ci, int co, int o0, int o1) {
  for (int o = o0; o < o1; o += block_width(o, co)) {
    const int width = block_width(o, co);
    float *dst = packed + o * taps_ci;
    for (int k = 0; k < taps_ci; k++, dst += width)
      for (int q = 0; q < width; q += 4) STORE(dst + q, LOAD(f + k * co + o + q));
  }
}

// A 2-D convolution, channels-last, gathered per output pixel:
//   out[b, y, x, o] = act(bias[o] + Σ_{i, j, c} in[b, iy, ix, c] · f[i, j, c, o] (+ res[b, y, x, o]))
// where the virtual input coordinates y·sh + i − pt and x·sw + j − pl index an
// input dilated by (dh, dw) (zeros between its pixels): iy = (y·sh + i − pt) / dh
// when that divides exactly and lies in [0, h), else the term is zero; likewise ix.
// Forward convolutions use dh = dw = 1; the input gradient of a strided convolution
// is the stride-1 convolution of the output gradient dilated by the stride, with
// the filter turned 180° and its channel axes swapped.
// Computes output rows row0..row1 of the batch flattened to [n·ho] rows and output
// channels o0..o1 (so that threads can share a call): `in` points at image
// row0 / ho, `out` and `res` at row row0. co must be a multiple of 4, o0 and o1
// multiples of 8 (or o1 = co); `zeros` points at ci zero floats; `packed` at
// fh·fw·ci·co floats, filled by pack_filter from f here unless f is 0 (then it
// holds the packed filter already); bias and res may be 0; relu ≠ 0 applies max(·, 0).
EXPORT(conv2d)
void conv2d(const float *in, const float *f, const float *bias, const float *res, float *out,
            const float *zeros, float *packed, int row0, int row1, int o0, int o1, int h, int w, int ci,
            int ho, int wo, int co, int fh, int fw, int sh, int sw, int dh, int dw, int pt, int pl, int relu) {
  const conv_geom g = {h, w, ci, ho, wo, co, fh, fw, sh, sw, dh, dw, pt, pl, pl > 0 ? pl / dw + 1 : 0, relu, bias, res};
  const int taps_ci = fh * fw * ci;
  if (f) pack_filter(f, packed, taps_ci, co, o0, o1);
  const int first = row0 / ho;
  for (int b = first; b * ho < row1; b++) {
    const float *inb = in + (b - first) * h * w * ci;
    const int y0 = max_i(row0 - b * ho, 0);
    const int y1 = min_i(row1 - b * ho, ho);
    const int rowoff = b * ho - row0;
    // Output-channel blocks outermost: a block's packed filter is reused by every pixel.
    for (int o = o0; o < o1; o += block_width(o, co)) {
      if (block_width(o, co) == 8) conv_channels(2, &g, inb, packed + o * taps_ci, out, rowoff, y0, y1, zeros, o);
      else conv_channels(1, &g, inb, packed + o * taps_ci, out, rowoff, y0, y1, zeros, o);
    }
  }
}

// The gradient of ReLU: dx[i] = dy[i] where x[i] > 0, 0 where x[i] ≤ 0, and x[i]
// where x[i] is NaN (NaN, as tfjs' dy·step(x) gives). One pass instead of tfjs'
// step and multiply.
EXPORT(relu_grad)
void relu_grad(const float *x, const float *dy, float *dx, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const f4 v = LOAD(x + i);
    const f4 pass = wasm_v128_and(LOAD(dy + i), wasm_f32x4_gt(v, SPLAT(0.f)));
    STORE(dx + i, wasm_v128_or(pass, wasm_v128_and(v, wasm_f32x4_ne(v, v))));
  }
  for (; i < n; i++) dx[i] = x[i] > 0.f ? dy[i] : x[i] != x[i] ? x[i] : 0.f;
}
