// One-dimensional Winograd transforms F(m, 3) for m = 2 and m = 4 (Lavin & Gray 2016,
// interpolation points 0, ±1, ±2 and ∞), on four channels at a time. A 2-D
// transform applies the 1-D one to every column, then to every row. Each function
// reads n values at v[0], v[s], v[2s], … and writes its outputs to o[0], o[s], …;
// v and o are local arrays indexed by constants after inlining, so they live in
// registers (the module has no stack).
#ifndef RESNET_WINOGRAD_TRANSFORMS_H
#define RESNET_WINOGRAD_TRANSFORMS_H

#include "common.h"

#define SCALE(k, v) MUL(SPLAT(k), (v))

// Input tile: o = Bᵀ·v (α = m + 2 values in, α out).
INLINE void input_1d(int m, const f4 *v, f4 *o, int s) {
  if (m == 2) {
    o[0] = SUB(v[0], v[2 * s]);
    o[s] = ADD(v[s], v[2 * s]);
    o[2 * s] = SUB(v[2 * s], v[s]);
    o[3 * s] = SUB(v[s], v[3 * s]);
  } else {
    const f4 a = SUB(v[4 * s], v[2 * s]), b = SUB(v[3 * s], v[s]);
    const f4 c = ADD(v[3 * s], v[4 * s]), d = ADD(v[s], v[2 * s]);
    const f4 e = SUB(v[4 * s], v[3 * s]), f = SUB(v[s], v[2 * s]);
    o[0] = ADD(SCALE(4.f, v[0]), SUB(v[4 * s], SCALE(5.f, v[2 * s])));
    o[s] = SUB(c, SCALE(4.f, d));
    o[2 * s] = ADD(e, SCALE(4.f, f));
    o[3 * s] = ADD(a, SCALE(2.f, b));
    o[4 * s] = SUB(a, SCALE(2.f, b));
    o[5 * s] = ADD(SCALE(4.f, v[s]), SUB(v[5 * s], SCALE(5.f, v[3 * s])));
  }
}

// Output tile: o = Aᵀ·v (α values in, m out).
INLINE void output_1d(int m, const f4 *v, f4 *o, int s) {
  if (m == 2) {
    o[0] = ADD(ADD(v[0], v[s]), v[2 * s]);
    o[s] = SUB(SUB(v[s], v[2 * s]), v[3 * s]);
  } else {
    const f4 p = ADD(v[s], v[2 * s]), q = SUB(v[s], v[2 * s]);
    const f4 r = ADD(v[3 * s], v[4 * s]), t = SUB(v[3 * s], v[4 * s]);
    o[0] = ADD(ADD(v[0], p), r);
    o[s] = ADD(q, SCALE(2.f, t));
    o[2 * s] = ADD(p, SCALE(4.f, r));
    o[3 * s] = ADD(ADD(q, SCALE(8.f, t)), v[5 * s]);
  }
}

// Filter: o = G·v (3 values in, α out).
INLINE void filter_1d(int m, const f4 *v, f4 *o, int s) {
  if (m == 2) {
    const f4 h = SCALE(0.5f, ADD(v[0], v[2 * s])), k = SCALE(0.5f, v[s]);
    o[0] = v[0];
    o[s] = ADD(h, k);
    o[2 * s] = SUB(h, k);
    o[3 * s] = v[2 * s];
  } else {
    const f4 a = ADD(v[0], v[2 * s]);
    const f4 b = ADD(SCALE(1.f / 24, v[0]), SCALE(1.f / 6, v[2 * s])), c = SCALE(1.f / 12, v[s]);
    o[0] = SCALE(0.25f, v[0]);
    o[s] = SCALE(-1.f / 6, ADD(a, v[s]));
    o[2 * s] = SCALE(-1.f / 6, SUB(a, v[s]));
    o[3 * s] = ADD(b, c);
    o[4 * s] = SUB(b, c);
    o[5 * s] = v[2 * s];
  }
}

// Output-gradient tile (filter gradient): o = A·v (m values in, α out), Aᵀ's transpose.
INLINE void grad_output_1d(int m, const f4 *v, f4 *o, int s) {
  if (m == 2) {
    o[0] = v[0];
    o[s] = ADD(v[0], v[s]);
    o[2 * s] = SUB(v[0], v[s]);
    o[3 * s] = SUB(SPLAT(0.f), v[s]);
  } else {
    const f4 e = ADD(v[0], v[2 * s]), d = ADD(v[s], v[3 * s]);
    const f4 e4 = ADD(v[0], SCALE(4.f, v[2 * s])), d4 = ADD(SCALE(2.f, v[s]), SCALE(8.f, v[3 * s]));
    o[0] = v[0];
    o[s] = ADD(e, d);
    o[2 * s] = SUB(e, d);
    o[3 * s] = ADD(e4, d4);
    o[4 * s] = SUB(e4, d4);
    o[5 * s] = v[3 * s];
  }
}

// Filter gradient back to the taps: o = Gᵀ·v (α values in, 3 out).
INLINE void grad_filter_1d(int m, const f4 *v, f4 *o, int s) {
  if (m == 2) {
    const f4 p = SCALE(0.5f, ADD(v[s], v[2 * s]));
    o[0] = ADD(v[0], p);
    o[s] = SCALE(0.5f, SUB(v[s], v[2 * s]));
    o[2 * s] = ADD(p, v[3 * s]);
  } else {
    const f4 p = ADD(v[s], v[2 * s]), q = SUB(v[2 * s], v[s]);
    const f4 r = ADD(v[3 * s], v[4 * s]), t = SUB(v[3 * s], v[4 * s]);
    o[0] = ADD(SCALE(0.25f, v[0]), ADD(SCALE(-1.f / 6, p), SCALE(1.f / 24, r)));
    o[s] = ADD(SCALE(1.f / 6, q), SCALE(1.f / 12, t));
    o[2 * s] = ADD(SCALE(-1.f / 6, p), ADD(SCALE(1.f / 6, r), v[5 * s]));
  }
}

#endif
