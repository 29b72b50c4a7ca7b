// 1×1 convolutions as a matrix product, for the tfjs wasm backend (WebAssembly SIMD).
//
// A 1×1 convolution of NHWC tensors is out[p, o] = Σ_c in[pix(p), c] · f[c, o]: a
// GEMM of the output pixels' input rows (ci floats each, contiguous; every sh-th
// row and sw-th column of the input when strided) by the filter [ci, co]. The
// register tile is 4 pixels × 8 output channels (8 vector accumulators): per input
// channel it splats one float of each pixel from memory and reads two vectors of
// the packed filter (pack_filter's 8-wide blocks, [ci, 8] contiguous, read
// sequentially). Pixels go in chunks that stay in the cache while every
// output-channel block passes over them.

#include "common.h"

// Declared in training_kernels.c: packs output channels o0..o1 of [taps_ci, co] into 8-wide (then 4) blocks.
void pack_filter(const float *f, float *packed, int taps_ci, int co, int o0, int o1);

// Input floats of a chunk of pixels (128 KiB, in L2 with a filter block), the grain of the cache blocking.
#define CHUNK_FLOATS 32768

// Pixels per register tile: 4 × 8 channels is 8 accumulators, 2 filter vectors
// and a splat, 11 of the 15 vector registers V8 allocates on x64. Measured on an
// AMD EPYC (bench/src/conv1x1.ts): 5 pixels (13 registers) ran at 0.51× the speed
// of 4 (V8 spills), and loading four floats of a pixel at once and splatting
// each lane by a shuffle (XNNPACK's "splat" kernels) at 0.70×.
#define GEMM_MR 4

// Geometry of one conv1x1 call, shared by its helpers.
typedef struct {
  int h, w, ci, ho, wo, co, sh, sw, relu;
  const float *in, *bias, *res;
  float *out;
} gemm_geom;

// One tile: R pixels from p (of the flattened [n·ho·wo] output, counted from the
// call's first image; pbase is the call's first) × 4·Q output channels from o
// (packed block fb, 4·Q floats per input channel): bias, Σ over ci, residual, ReLU,
// store. R and Q are constants after inlining, so acc and a live in locals.
INLINE void gemm_tile(int R, int Q, const gemm_geom *g, const float *fb, int p, int pbase, int o) {
  const int ci = g->ci, co = g->co, hw = g->ho * g->wo;
  const float *a[4];
  // Output pixel → its input row: image b, row y·sh, column x·sw.
  int b = p / hw, y = (p - b * hw) / g->wo, x = p - b * hw - y * g->wo;
  for (int r = 0; r < R; r++) {
    a[r] = g->in + ((b * g->h + y * g->sh) * g->w + x * g->sw) * ci;
    if (++x == g->wo) {
      x = 0;
      if (++y == g->ho) y = 0, b++;
    }
  }
  f4 acc[4][2];
  for (int r = 0; r < R; r++)
    for (int q = 0; q < Q; q++) acc[r][q] = g->bias ? LOAD(g->bias + o + 4 * q) : SPLAT(0.f);
  for (int c = 0; c < ci; c++) {
    f4 wv[2];
    for (int q = 0; q < Q; q++) wv[q] = LOAD(fb + 4 * (c * Q + q));
    for (int r = 0; r < R; r++) {
      const f4 s = wasm_v128_load32_splat(a[r] + c);
      for (int q = 0; q < Q; q++) acc[r][q] = MADD_N(R * Q, acc[r][q], s, wv[q]);
    }
  }
  const int at = (p - pbase) * co + o;
  for (int r = 0; r < R; r++)
    for (int q = 0; q < Q; q++)
      STORE(g->out + at + r * co + 4 * q, epilogue(acc[r][q], g->res ? g->res + at + r * co + 4 * q : 0, g->relu));
}

// Pixels p0..p1 for the output-channel block o of width 4·Q, MR (≤ 4) pixels a tile, then the rest as one.
INLINE void gemm_block(int MR, int Q, const gemm_geom *g, const float *fb, int p0, int p1, int pbase, int o) {
  int p = p0;
  for (; p + MR <= p1; p += MR) gemm_tile(MR, Q, g, fb, p, pbase, o);
  switch (p1 - p) {
    case 1: gemm_tile(1, Q, g, fb, p, pbase, o); break;
    case 2: gemm_tile(2, Q, g, fb, p, pbase, o); break;
    case 3: gemm_tile(3, Q, g, fb, p, pbase, o); break;
    default: break;
  }
}

// A 1×1 convolution, channels-last, no padding:
//   out[b, y, x, o] = act(bias[o] + Σ_c in[b, y·sh, x·sw, c] · f[0, 0, c, o] (+ res[b, y, x, o]))
// with (ho − 1)·sh < h and (wo − 1)·sw < w. Computes output rows row0..row1 of the
// batch flattened to [n·ho] rows and output channels o0..o1 (so that threads can
// share a call): `in` points at image row0 / ho, `out` and `res` at row row0. co
// must be a multiple of 4, o0 and o1 multiples of 8 (or o1 = co); `packed` at ci·co
// floats, filled by pack_filter from f here unless f is 0 (then it holds the
// packed filter already); bias and res may be 0; relu ≠ 0 applies max(·, 0).
// The same arguments as conv2d's for fh = fw = 1, pt = pl = 0, no dilation.
EXPORT(conv1x1)
void conv1x1(const float *in, const float *f, const float *bias, const float *res, float *out, float *packed,
             int row0, int row1, int o0, int o1, int h, int w, int ci, int ho, int wo, int co, int sh, int sw, int relu) {
  if (f) pack_filter(f, packed, ci, co, o0, o1);
  const gemm_geom g = {h, w, ci, ho, wo, co, sh, sw, relu, in, bias, res, out};
  const int pbase = (row0 % ho) * wo;  // the first pixel, counted from image row0 / ho
  const int pend = pbase + (row1 - row0) * wo;
  const int chunk = max_i(8, (CHUNK_FLOATS / ci) & ~7);
  for (int p0 = pbase; p0 < pend; p0 += chunk) {
    const int p1 = min_i(pend, p0 + chunk);
    for (int o = o0; o < o1; o += block_width(o, co)) {
      if (block_width(o, co) == 8) gemm_block(GEMM_MR, 2, &g, packed + o * ci, p0, p1, pbase, o);
      else gemm_block(GEMM_MR, 1, &g, packed + o * ci, p0, p1, pbase, o);
    }
  }
}
