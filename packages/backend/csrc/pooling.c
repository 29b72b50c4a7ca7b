// The gradient of 2-D max pooling over a channels-last tensor.
#include "common.h"

// Adds lane j of g to dx[at lane j + j] where that lane's position is not −1.
#define SCATTER_LANE(j)                                          \
  do {                                                           \
    const int o = wasm_i32x4_extract_lane(at, j);                \
    if (o >= 0) dimg[o + (j)] += wasm_f32x4_extract_lane(g, j);  \
  } while (0)

// The input gradient of max pooling, for images [0, n) and channels [c0, c1)
// (multiples of 4) of x [n, h, w, c], dy [n, ho, wo, c] and dx (shaped like
// x): each output pixel's gradient goes to the first largest input of its
// fh × fw window (strides sh, sw; the first window's corner pt rows above and
// pl columns left of the input), in the window's row-major order, as tfjs'
// cpu backend and PyTorch pick it. NaN is never the largest, and a window of
// nothing but NaN and −∞ passes nothing (tfjs' cpu backend). Gradients that
// reach one input from several windows add up in output order (PyTorch's).
// Writes only channels [c0, c1) of dx's n images: calls over disjoint channel
// or image ranges may run at once.
EXPORT(max_pool_grad)
void max_pool_grad(const float *x, const float *dy, float *dx, int n, int h, int w, int c, int ho, int wo,
                   int fh, int fw, int sh, int sw, int pt, int pl, int c0, int c1) {
  for (int b = 0; b < n; b++) {
    const float *img = x + b * h * w * c;
    const float *gimg = dy + b * ho * wo * c;
    float *dimg = dx + b * h * w * c;
    for (int p = 0; p < h * w; p++) {
      for (int k = c0; k < c1; k += 4) STORE(dimg + p * c + k, SPLAT(0.f));
    }
    for (int oy = 0; oy < ho; oy++) {
      const int y0 = max_i(oy * sh - pt, 0), y1 = min_i(oy * sh - pt + fh, h);
      for (int ox = 0; ox < wo; ox++) {
        const int x0 = max_i(ox * sw - pl, 0), x1 = min_i(ox * sw - pl + fw, w);
        for (int k = c0; k < c1; k += 4) {
          f4 best = SPLAT(-__builtin_inff());
          v128_t at = wasm_i32x4_splat(-1);
          for (int y = y0; y < y1; y++) {
            for (int q = x0; q < x1; q++) {
              const int off = (y * w + q) * c + k;
              const f4 v = LOAD(img + off);
              const v128_t larger = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, larger);
              at = wasm_v128_bitselect(wasm_i32x4_splat(off), at, larger);
            }
          }
          const f4 g = LOAD(gimg + (oy * wo + ox) * c + k);
          SCATTER_LANE(0);
          SCATTER_LANE(1);
          SCATTER_LANE(2);
          SCATTER_LANE(3);
        }
      }
    }
  }
}
