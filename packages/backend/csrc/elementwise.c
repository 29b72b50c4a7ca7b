// Element-wise kernels over n floats, so that tfjs' large element-wise ops of a
// training step (residual additions, ReLU, the optimizer's updates) can be
// split over the kernel workers like the convolutions: each share is a range
// of the same arrays. The results are those of tfjs' cpu backend bit for bit
// (one IEEE operation per element).
#include "common.h"

// out[i] = a[i] op b[i] (b_scalar: a[i] op b[0]); op 0: +, 1: −, 2: ×.
EXPORT(binary_op)
void binary_op(const float *a, const float *b, float *out, int n, int b_scalar, int op) {
  int i = 0;
  if (b_scalar) {
    const float s = b[0];
    const f4 vs = SPLAT(s);
    if (op == 0) {
      for (; i + 4 <= n; i += 4) STORE(out + i, ADD(LOAD(a + i), vs));
      for (; i < n; i++) out[i] = a[i] + s;
    } else if (op == 1) {
      for (; i + 4 <= n; i += 4) STORE(out + i, SUB(LOAD(a + i), vs));
      for (; i < n; i++) out[i] = a[i] - s;
    } else {
      for (; i + 4 <= n; i += 4) STORE(out + i, MUL(LOAD(a + i), vs));
      for (; i < n; i++) out[i] = a[i] * s;
    }
    return;
  }
  if (op == 0) {
    for (; i + 4 <= n; i += 4) STORE(out + i, ADD(LOAD(a + i), LOAD(b + i)));
    for (; i < n; i++) out[i] = a[i] + b[i];
  } else if (op == 1) {
    for (; i + 4 <= n; i += 4) STORE(out + i, SUB(LOAD(a + i), LOAD(b + i)));
    for (; i < n; i++) out[i] = a[i] - b[i];
  } else {
    for (; i + 4 <= n; i += 4) STORE(out + i, MUL(LOAD(a + i), LOAD(b + i)));
    for (; i < n; i++) out[i] = a[i] * b[i];
  }
}

// y[i] = x[i] where x[i] > 0 or x[i] is NaN, else +0: tfjs' cpu ReLU (NaN stays
// NaN, −0 gives +0), which the stock wasm kernel also gives but for a NaN with
// its sign bit set (0 there).
EXPORT(relu)
void relu(const float *x, float *y, int n) {
  int i = 0;
  const f4 zero = SPLAT(0.f);
  for (; i + 4 <= n; i += 4) {
    const f4 v = LOAD(x + i);
    STORE(y + i, wasm_v128_and(v, wasm_v128_or(wasm_f32x4_gt(v, zero), wasm_f32x4_ne(v, v))));
  }
  for (; i < n; i++) y[i] = x[i] > 0.f || x[i] != x[i] ? x[i] : 0.f;
}
