/**
 * Layout changes between PyTorch and tfjs tensors, on plain typed arrays so that
 * a 60M-parameter state dict converts without creating tensors.
 */

/** Conv kernel OIHW (PyTorch) -> HWIO (tfjs). */
export function oihwToHwio(src: Float32Array, [o, i, h, w]: number[]): Float32Array {
  const out = new Float32Array(src.length);
  let p = 0;
  for (let a = 0; a < o!; a++)
    for (let b = 0; b < i!; b++)
      for (let y = 0; y < h!; y++)
        for (let x = 0; x < w!; x++) out[((y * w! + x) * i! + b) * o! + a] = src[p++]!;
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

/** 2-D transpose (Linear [out, in] <-> Dense [in, out]). */
export function transpose2d(src: Float32Array, [r, c]: number[]): Float32Array {
  const out = new Float32Array(src.length);
  for (let a = 0; a < r!; a++) for (let b = 0; b < c!; b++) out[b * r! + a] = src[a * c! + b]!;
  return out;
}
