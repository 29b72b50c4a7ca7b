// Winograd convolutions F(m×m, 3×3), m = 2 or 4, for 3×3 stride-1 layers: the
// forward pass (and so the input gradient, a stride-1 convolution too) and the
// filter gradient. An output tile of m×m pixels costs α² = (m + 2)² multiplies per
// input/output channel pair instead of 9m²: 2.25× fewer for m = 2, 4× for m = 4,
// paid for with transforms (additions) and a little float32 accuracy.
//
// Tiles are processed in groups of G: the input transform of a group goes to a
// scratch V[p][k][c] (p < α², k < G), then for each block of 8 output channels one
// small matrix product per p, M[p][k][·] = Σ_c V[p][k][c] · U[p][c][·], runs with
// register tiles of 4 tiles × 8 channels (the inner loop of the direct convolution),
// and the output transform writes the block's pixels.

#include "common.h"
#include "winograd_transforms.h"

#define UNROLL _Pragma("clang loop unroll(full)")

// Scratch rows of the α² points are padded by PAD floats: unpadded, a group of 64
// tiles of 16 channels puts them exactly 4 KB apart, all in one L1 cache set.
#define PAD 16

typedef struct {
  int h, w, ci, ho, wo, co, pt, pl, th, tw, G, relu;
  int vs, ms;  // strides of the points in V (G·ci + PAD) and in M or D (G·8 or G·co, + PAD)
  const float *bias, *res;
} wino_geom;

// Bᵀ·d·B of the `cnt` tiles t.. of the tiles of tile rows r0.. (tile t is in tile row
// r0 + t / tw, column t % tw; tile row r is row r % th of image r / th; `in` points
// at image b0) into V[p][k][c] (p stride G·ci). Reads outside the image are zeros.
// Two passes through V, rows then columns, keep a dozen vectors live: a single
// pass over all α² values spills V8's registers and runs several times slower.
INLINE void input_tiles(int m, const wino_geom *g, const float *in, int b0, int r0, int t, int cnt,
                        const float *zeros, float *V) {
  const int a = m + 2, stride = g->vs;
  for (int k = 0; k < cnt; k++) {
    const int r = r0 + (t + k) / g->tw, tx = (t + k) % g->tw;
    const int y0 = (r % g->th) * m - g->pt, x0 = tx * m - g->pl;
    const float *img = in + (r / g->th - b0) * g->h * g->w * g->ci;
    float *dst = V + k * g->ci;
    for (int c = 0; c < g->ci; c += 4) {
      UNROLL for (int i = 0; i < a; i++) {
        const int iy = y0 + i;
        const float *row = iy < 0 || iy >= g->h ? 0 : img + iy * g->w * g->ci + c;
        f4 d[6], e[6];
        UNROLL for (int j = 0; j < a; j++) {
          const int ix = x0 + j;
          d[j] = LOAD(row == 0 || ix < 0 || ix >= g->w ? zeros : row + ix * g->ci);
        }
        input_1d(m, d, e, 1);
        UNROLL for (int j = 0; j < a; j++) STORE(dst + (i * a + j) * stride + c, e[j]);
      }
      UNROLL for (int j = 0; j < a; j++) {
        f4 d[6], e[6];
        UNROLL for (int i = 0; i < a; i++) d[i] = LOAD(dst + (i * a + j) * stride + c);
        input_1d(m, d, e, 1);
        UNROLL for (int i = 0; i < a; i++) STORE(dst + (i * a + j) * stride + c, e[i]);
      }
    }
  }
}

// Floats between the points of a packed block of the transformed filter (ci·8 rows
// plus padding against cache-set aliasing) and the floats of one 8-channel block.
INLINE int u_stride(int ci) { return ci * 8 + PAD; }
INLINE int u_block(int m, int ci) { return (m + 2) * (m + 2) * u_stride(ci); }

// M[r][·] = Σ_c V[r][c] · U[c][·] for R tiles (rows ci apart in V, 8 floats apart in
// M) and 4·Q output channels (U packed, 4·Q floats per input channel).
INLINE void gemm_tiles(int R, int Q, const float *V, const float *U, float *M, int ci) {
  f4 acc[4][2];
  for (int r = 0; r < R; r++)
    for (int q = 0; q < Q; q++) acc[r][q] = SPLAT(0.f);
  for (int c = 0; c < ci; c++) {
    f4 wv[2];
    for (int q = 0; q < Q; q++) wv[q] = LOAD(U + 4 * (c * Q + q));
    for (int r = 0; r < R; r++) {
      const f4 x = wasm_v128_load32_splat(V + r * ci + c);
      for (int q = 0; q < Q; q++) acc[r][q] = MADD_N(R * Q, acc[r][q], x, wv[q]);
    }
  }
  for (int r = 0; r < R; r++)
    for (int q = 0; q < Q; q++) STORE(M + r * 8 + 4 * q, acc[r][q]);
}

// The products of one output-channel block (4·Q wide) for `cnt` tiles, all α² points.
INLINE void gemm_block(int m, int Q, const wino_geom *g, const float *V, const float *Ub, float *M, int cnt) {
  const int P = (m + 2) * (m + 2), ci = g->ci;
  for (int p = 0; p < P; p++) {
    const float *Vp = V + p * g->vs, *Up = Ub + p * u_stride(ci);
    float *Mp = M + p * g->ms;
    int k = 0;
    for (; k + 4 <= cnt; k += 4) gemm_tiles(4, Q, Vp + k * ci, Up, Mp + k * 8, ci);
    if (cnt - k == 3) gemm_tiles(3, Q, Vp + k * ci, Up, Mp + k * 8, ci);
    else if (cnt - k == 2) gemm_tiles(2, Q, Vp + k * ci, Up, Mp + k * 8, ci);
    else if (cnt - k == 1) gemm_tiles(1, Q, Vp + k * ci, Up, Mp + k * 8, ci);
  }
}

// Aᵀ·M·A of the `cnt` tiles t.. for output channels o..o + 4·Q, then bias, residual,
// ReLU; stores the pixels inside the output (`out` at output row `rowbase`). M is
// overwritten (two passes through it, as in input_tiles).
INLINE void output_tiles(int m, int Q, const wino_geom *g, float *M, float *out, int r0, int rowbase,
                         int t, int cnt, int o) {
  const int a = m + 2, stride = g->ms;
  for (int k = 0; k < cnt; k++) {
    const int r = r0 + (t + k) / g->tw, tx = (t + k) % g->tw;
    const int row = (r / g->th) * g->ho + (r % g->th) * m - rowbase;
    const int ylim = min_i(m, g->ho - (r % g->th) * m), xlim = min_i(m, g->wo - tx * m);
    for (int q = 0; q < Q; q++) {
      float *src = M + k * 8 + 4 * q;
      UNROLL for (int j = 0; j < a; j++) {
        f4 v[6], e[6];
        UNROLL for (int i = 0; i < a; i++) v[i] = LOAD(src + (i * a + j) * stride);
        output_1d(m, v, e, 1);
        UNROLL for (int i = 0; i < m; i++) STORE(src + (i * a + j) * stride, e[i]);
      }
      const f4 bias = g->bias ? LOAD(g->bias + o + 4 * q) : SPLAT(0.f);
      UNROLL for (int i = 0; i < m; i++) {
        f4 v[6], e[6];
        UNROLL for (int j = 0; j < a; j++) v[j] = LOAD(src + (i * a + j) * stride);
        output_1d(m, v, e, 1);
        UNROLL for (int j = 0; j < m; j++) {
          if (i < ylim && j < xlim) {
            const int at = ((row + i) * g->wo + tx * m + j) * g->co + o + 4 * q;
            STORE(out + at, epilogue(ADD(e[j], bias), g->res ? g->res + at : 0, g->relu));
          }
        }
      }
    }
  }
}

// U = G·g·Gᵀ for output channels o0..o1 of filter f [3, 3, ci, co]: block o (8 or 4
// channels wide) at U + (o / 8)·u_block, laid out [α²][ci][width] with points
// u_stride apart. One pass in registers: a pass through U would reread 36 rows that
// are u_stride apart.
INLINE void transform_filter(int m, const float *f, float *U, int ci, int co, int o0, int o1) {
  const int a = m + 2;
  for (int o = o0; o < o1; o += block_width(o, co)) {
    const int width = block_width(o, co);
    float *Ub = U + (o / 8) * u_block(m, ci);
    for (int c = 0; c < ci; c++) {
      for (int q = 0; q < width; q += 4) {
        float *dst = Ub + c * width + q;
        f4 e[3][6];
        UNROLL for (int i = 0; i < 3; i++) {
          f4 v[3];
          UNROLL for (int j = 0; j < 3; j++) v[j] = LOAD(f + ((i * 3 + j) * ci + c) * co + o + q);
          filter_1d(m, v, e[i], 1);
        }
        UNROLL for (int j = 0; j < a; j++) {
          f4 v[3] = {e[0][j], e[1][j], e[2][j]}, u[6];
          filter_1d(m, v, u, 1);
          UNROLL for (int i = 0; i < a; i++) STORE(dst + (i * a + j) * u_stride(ci), u[i]);
        }
      }
    }
  }
}

INLINE void wino_conv(int m, const float *in, const float *f, float *U, const float *bias, const float *res,
                      float *out, const float *zeros, float *scratch, int r0, int r1, int o0, int o1, int h,
                      int w, int ci, int ho, int wo, int co, int pt, int pl, int G, int relu) {
  const wino_geom g = {h, w, ci, ho, wo, co, pt, pl, (ho + m - 1) / m, (wo + m - 1) / m, G, relu,
                       G * ci + PAD, G * 8 + PAD, bias, res};
  const int P = (m + 2) * (m + 2);
  if (f) transform_filter(m, f, U, ci, co, o0, o1);
  float *V = scratch, *M = scratch + P * g.vs;
  const int b0 = r0 / g.th, rowbase = b0 * ho + (r0 % g.th) * m;
  const int tiles = (r1 - r0) * g.tw;
  for (int t = 0; t < tiles; t += G) {
    const int cnt = min_i(G, tiles - t);
    input_tiles(m, &g, in, b0, r0, t, cnt, zeros, V);
    for (int o = o0; o < o1; o += block_width(o, co)) {
      if (block_width(o, co) == 8) {
        gemm_block(m, 2, &g, V, U + (o / 8) * u_block(m, ci), M, cnt);
        output_tiles(m, 2, &g, M, out, r0, rowbase, t, cnt, o);
      } else {
        gemm_block(m, 1, &g, V, U + (o / 8) * u_block(m, ci), M, cnt);
        output_tiles(m, 1, &g, M, out, r0, rowbase, t, cnt, o);
      }
    }
  }
}

// A 3×3, stride-1 convolution by Winograd F(m×m, 3×3), m = 2 or 4:
//   out[b, y, x, o] = act(bias[o] + Σ_{i, j, c} in[b, y + i − pt, x + j − pl, c] · f[i, j, c, o] (+ res[b, y, x, o]))
// (reads outside the input are zeros). Tile row r covers output rows m·(r % th)..
// of image r / th, th = ⌈ho / m⌉; this call computes tile rows r0..r1 and output
// channels o0..o1 (multiples of 8, or o1 = co): `in` points at image r0 / th, `out`
// and `res` at the first output row of tile row r0. ci and co multiples of 4.
// U: ⌈co / 8⌉·α²·(8·ci + PAD) floats, the transformed filter (transform_filter),
// computed here from f unless f is 0.
// scratch: α²·(G·(ci + 8) + 2·PAD) floats; zeros: ci zero floats. bias and res may be 0.
EXPORT(winograd_conv2d)
void winograd_conv2d(const float *in, const float *f, float *U, const float *bias, const float *res, float *out,
                     const float *zeros, float *scratch, int r0, int r1, int o0, int o1, int h, int w, int ci,
                     int ho, int wo, int co, int pt, int pl, int m, int G, int relu) {
  if (m == 4) wino_conv(4, in, f, U, bias, res, out, zeros, scratch, r0, r1, o0, o1, h, w, ci, ho, wo, co, pt, pl, G, relu);
  else wino_conv(2, in, f, U, bias, res, out, zeros, scratch, r0, r1, o0, o1, h, w, ci, ho, wo, co, pt, pl, G, relu);
}

// A·dy·Aᵀ of the `cnt` tiles t.. (over all images) into D[p][k][o] (p stride G·co);
// output-gradient pixels past ho or wo are zeros. Rows first, then columns in place.
INLINE void grad_tiles(int m, const wino_geom *g, const float *dy, int t, int cnt, const float *zeros, float *D) {
  const int a = m + 2, stride = g->ms;
  for (int k = 0; k < cnt; k++) {
    const int r = (t + k) / g->tw, tx = (t + k) % g->tw;
    const int y0 = (r % g->th) * m, x0 = tx * m;
    const float *img = dy + (r / g->th) * g->ho * g->wo * g->co;
    float *dst = D + k * g->co;
    for (int o = 0; o < g->co; o += 4) {
      UNROLL for (int i = 0; i < m; i++) {
        const float *row = y0 + i >= g->ho ? 0 : img + (y0 + i) * g->wo * g->co + o;
        f4 v[4], e[6];
        UNROLL for (int j = 0; j < m; j++) v[j] = LOAD(row == 0 || x0 + j >= g->wo ? zeros : row + (x0 + j) * g->co);
        grad_output_1d(m, v, e, 1);
        UNROLL for (int j = 0; j < a; j++) STORE(dst + (i * a + j) * stride + o, e[j]);
      }
      UNROLL for (int j = 0; j < a; j++) {
        f4 v[4], e[6];
        UNROLL for (int i = 0; i < m; i++) v[i] = LOAD(dst + (i * a + j) * stride + o);
        grad_output_1d(m, v, e, 1);
        UNROLL for (int i = 0; i < a; i++) STORE(dst + (i * a + j) * stride + o, e[i]);
      }
    }
  }
}

// dU[p][c..c+4][o..o+4Q] += Σ_k V[p][k][c..c+4] ⊗ D[p][k][o..o+4Q] over `cnt` tiles.
INLINE void grad_gemm(int Q, const float *V, const float *D, float *dU, int ci, int co, int cnt) {
  f4 acc[4][2];
  for (int r = 0; r < 4; r++)
    for (int q = 0; q < Q; q++) acc[r][q] = LOAD(dU + r * co + 4 * q);
  for (int k = 0; k < cnt; k++) {
    f4 dv[2];
    for (int q = 0; q < Q; q++) dv[q] = LOAD(D + k * co + 4 * q);
    for (int r = 0; r < 4; r++) {
      const f4 x = wasm_v128_load32_splat(V + k * ci + r);
      for (int q = 0; q < Q; q++) acc[r][q] = MADD_N(4 * Q, acc[r][q], x, dv[q]);
    }
  }
  for (int r = 0; r < 4; r++)
    for (int q = 0; q < Q; q++) STORE(dU + r * co + 4 * q, acc[r][q]);
}

INLINE void wino_filter_grad(int m, const float *x, const float *dy, float *dw, const float *zeros, float *scratch,
                             int n, int h, int w, int ci, int ho, int wo, int co, int pt, int pl, int G) {
  const wino_geom g = {h, w, ci, ho, wo, co, pt, pl, (ho + m - 1) / m, (wo + m - 1) / m, G, 0,
                       G * ci + PAD, G * co + PAD, 0, 0};
  const int a = m + 2, P = a * a;
  const int us = ci * co + PAD;  // dU's points, padded apart like V's
  float *dU = scratch, *V = dU + P * us, *D = V + P * g.vs;
  for (int i = 0; i < P * us; i += 4) STORE(dU + i, SPLAT(0.f));
  const int tiles = n * g.th * g.tw;
  for (int t = 0; t < tiles; t += G) {
    const int cnt = min_i(G, tiles - t);
    input_tiles(m, &g, x, 0, 0, t, cnt, zeros, V);
    grad_tiles(m, &g, dy, t, cnt, zeros, D);
    for (int p = 0; p < P; p++) {
      const float *Vp = V + p * g.vs, *Dp = D + p * g.ms;
      for (int c = 0; c < ci; c += 4) {
        float *dUp = dU + p * us + c * co;
        int o = 0;
        for (; o + 8 <= co; o += 8) grad_gemm(2, Vp + c, Dp + o, dUp + o, ci, co, cnt);
        if (o < co) grad_gemm(1, Vp + c, Dp + o, dUp + o, ci, co, cnt);
      }
    }
  }
  // dw = Gᵀ·dU·G per channel pair: columns, then rows, in registers.
  for (int c = 0; c < ci; c++) {
    for (int o = 0; o < co; o += 4) {
      const float *src = dU + c * co + o;
      f4 e[3][6];
      UNROLL for (int j = 0; j < a; j++) {
        f4 v[6], t[3];
        UNROLL for (int i = 0; i < a; i++) v[i] = LOAD(src + (i * a + j) * us);
        grad_filter_1d(m, v, t, 1);
        UNROLL for (int i = 0; i < 3; i++) e[i][j] = t[i];
      }
      UNROLL for (int i = 0; i < 3; i++) {
        f4 r[3];
        grad_filter_1d(m, e[i], r, 1);
        UNROLL for (int j = 0; j < 3; j++) STORE(dw + ((i * 3 + j) * ci + c) * co + o, r[j]);
      }
    }
  }
}

// The filter gradient of a 3×3, stride-1 convolution by Winograd F(m×m, 3×3):
//   dw[i, j, c, o] = Σ_{b, y, x} x[b, y + i − pt, x + j − pl, c] · dy[b, y, x, o]
// x: [n, h, w, ci], dy: [n, ho, wo, co], dw: [3, 3, ci, co]; ci and co multiples of 4.
// scratch: α²·(ci·co + G·(ci + co) + 3·PAD) floats; zeros: max(ci, co) zero floats.
EXPORT(winograd_filter_grad)
void winograd_filter_grad(const float *x, const float *dy, float *dw, const float *zeros, float *scratch, int n,
                          int h, int w, int ci, int ho, int wo, int co, int pt, int pl, int m, int G) {
  if (m == 4) wino_filter_grad(4, x, dy, dw, zeros, scratch, n, h, w, ci, ho, wo, co, pt, pl, G);
  else wino_filter_grad(2, x, dy, dw, zeros, scratch, n, h, w, ci, ho, wo, co, pt, pl, G);
}
