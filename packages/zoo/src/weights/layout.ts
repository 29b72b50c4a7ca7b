/**
 * Layout changes between PyTorch and tfjs tensors, on plain typed arrays so that
 * a 60M-parameter state dict converts without creating tensors.
 */

/** Tile edge of the blocked transposes: a 32×32 float tile of source and of output stays in L1. */
const TILE = 32;

/**
 * Conv kernel OIHW (PyTorch) -> HWIO (tfjs), into `out` (a new array unless
 * given; as long as `src`). Per kernel position it is an [O, I] -> [I, O]
 * transpose, done in tiles so that reads and writes both stay in cache (a
 * 2048×512 1×1 kernel is 4 MB).
 */
export function oihwToHwio(src: Float32Array, [o, i, h, w]: number[], out: Float32Array = new Float32Array(src.length)): Float32Array {
  const O = o!;
  const I = i!;
  const hw = h! * w!;
  const ihw = I * hw;
  for (let s = 0; s < hw; s++) {
    const dst = s * I * O;
    for (let a0 = 0; a0 < O; a0 += TILE) {
      const a1 = Math.min(a0 + TILE, O);
      for (let b0 = 0; b0 < I; b0 += TILE) {
        const b1 = Math.min(b0 + TILE, I);
        for (let b = b0; b < b1; b++) {
          const d = dst + b * O;
          const r = b * hw + s;
          for (let a = a0; a < a1; a++) out[d + a] = src[a * ihw + r]!;
        }
      }
    }
  }
  return out;
}

/** Conv kernel HWIO (tfjs) -> OIHW (PyTorch). */
export function hwioToOihw(src: Float32Array, [h, w, i, o]: number[]): Float32Array {
  const out = new Float32Array(src.length);
  let p = 0;
  for (let y = 0; y < h!; y++)
    for (let x = 0; x < w!; x++)
      for (let b = 0; b < i!; b++)
        for (let a = 0; a < o!; a++) out[((a * i! + b) * h! + y) * w! + x] = src[p++]!;
  return out;
}

/** 2-D transpose (Linear [out, in] <-> Dense [in, out]), into `out` (a new array unless given). */
export function transpose2d(src: Float32Array, [r, c]: number[], out: Float32Array = new Float32Array(src.length)): Float32Array {
  for (let a = 0; a < r!; a++) for (let b = 0; b < c!; b++) out[b * r! + a] = src[a * c! + b]!;
  return out;
}
