// Box copies of 4-byte elements, for tfjs' Slice and PadV2 on the wasm backend:
// a slice or a pad copies runs of contiguous elements from one layout to
// another (the option-A shortcut's subsampling copies runs of one pixel's
// channels), which can be split over the kernel workers by the outermost axis.
#include "common.h"

// Run of n elements from src to dst (no overlap), a vector at a time.
INLINE void copy_run(const float *src, float *dst, int n) {
  int k = 0;
  for (; k + 16 <= n; k += 16) {
    const f4 a = LOAD(src + k), b = LOAD(src + k + 4), c = LOAD(src + k + 8), d = LOAD(src + k + 12);
    STORE(dst + k, a);
    STORE(dst + k + 4, b);
    STORE(dst + k + 8, c);
    STORE(dst + k + 12, d);
  }
  for (; k + 4 <= n; k += 4) STORE(dst + k, LOAD(src + k));
  for (; k < n; k++) dst[k] = src[k];
}

// Copies n0·n1·n2·n3 runs of `run` elements: run (i0, i1, i2, i3) from
// src + i0·s0 + i1·s1 + i2·s2 + i3·s3 to dst + i0·d0 + i1·d1 + i2·d2 + i3·d3
// (strides in elements; the source and destination boxes do not overlap).
EXPORT(copy_box)
void copy_box(const float *src, float *dst, int run, int n0, int n1, int n2, int n3,
              int s0, int s1, int s2, int s3, int d0, int d1, int d2, int d3) {
  for (int i0 = 0; i0 < n0; i0++)
    for (int i1 = 0; i1 < n1; i1++)
      for (int i2 = 0; i2 < n2; i2++) {
        const float *s = src + i0 * s0 + i1 * s1 + i2 * s2;
        float *d = dst + i0 * d0 + i1 * d1 + i2 * d2;
        for (int i3 = 0; i3 < n3; i3++) copy_run(s + i3 * s3, d + i3 * d3, run);
      }
}

// dst[0..n) = the 4-byte word `bits` (a float's or an int's bit pattern).
EXPORT(fill_words)
void fill_words(float *dst, int n, int bits) {
  const v128_t v = wasm_i32x4_splat(bits);
  int k = 0;
  for (; k + 16 <= n; k += 16) {
    wasm_v128_store(dst + k, v);
    wasm_v128_store(dst + k + 4, v);
    wasm_v128_store(dst + k + 8, v);
    wasm_v128_store(dst + k + 12, v);
  }
  for (; k + 4 <= n; k += 4) wasm_v128_store(dst + k, v);
  for (; k < n; k++) ((int *)dst)[k] = bits;
}
