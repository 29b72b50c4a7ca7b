// Shared by the kernel sources: SIMD types, the multiply-add, small integer helpers.
//
// Built twice by scripts/build-kernels.mjs: with -mrelaxed-simd, MADD is one fused
// f32x4.relaxed_madd (FMA where the CPU has it); without, a mul and an add. Engines
// that reject relaxed SIMD (Node 20 without a flag) get the second build.
#ifndef RESNET_KERNELS_COMMON_H
#define RESNET_KERNELS_COMMON_H

#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

typedef v128_t f4;

#ifdef __wasm_relaxed_simd__
#define MADD(acc, a, b) __builtin_wasm_relaxed_madd_f32x4((a), (b), (acc))
#else
#define MADD(acc, a, b) wasm_f32x4_add((acc), wasm_f32x4_mul((a), (b)))
#endif

// acc + a·b in a loop that keeps n independent accumulators: fused only when n ≥ 8.
// An FMA's latency (4 cycles) sits on each accumulator's dependency chain, where an
// unfused multiply-add puts only the add's (2); 8 chains hide it, fewer do not.
#define MADD_N(n, acc, a, b) ((n) >= 8 ? MADD(acc, a, b) : wasm_f32x4_add((acc), wasm_f32x4_mul((a), (b))))

#define ADD wasm_f32x4_add
#define SUB wasm_f32x4_sub
#define MUL wasm_f32x4_mul
#define SPLAT wasm_f32x4_splat
#define LOAD wasm_v128_load
#define STORE wasm_v128_store

INLINE int max_i(int a, int b) { return a > b ? a : b; }
INLINE int min_i(int a, int b) { return a < b ? a : b; }

// Width of the packed output-channel block that starts at o: 8, or 4 for the last
// block when co is 4 more than a multiple of 8.
INLINE int block_width(int o, int co) { return co - o >= 8 ? 8 : 4; }

// The epilogue of a convolution: v (+ residual r when given), then ReLU when asked.
INLINE f4 epilogue(f4 v, const float *r, int relu) {
  if (r) v = ADD(v, LOAD(r));
  return relu ? wasm_f32x4_max(v, SPLAT(0.f)) : v;
}

#endif
