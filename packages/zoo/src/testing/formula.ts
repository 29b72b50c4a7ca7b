/**
 * TypeScript twin of tools/fixtures/formula.py: deterministic weights from an
 * integer hash of (FNV-1a of the tensor name, element index). Integer steps use
 * Math.imul and >>> 0, which are exactly the uint32 arithmetic numpy does, and
 * the float steps are the same float64 operations rounded once to float32, so
 * both sides produce identical bits.
 */

/** FNV-1a 32-bit hash of the UTF-8 bytes of `name`. */
function fnv1a32(name: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(name)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** `n` values in [0, 1) (float64) from the lowbias32 hash of `i * golden + seed`. */
function uniform01(seed: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = (Math.imul(i, 0x9e3779b1) + seed) >>> 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d) >>> 0;
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b) >>> 0;
    x ^= x >>> 16;
    out[i] = (x >>> 0) / 4294967296;
  }
  return out;
}

/** Float32 values for a state-dict / Keras weight entry, chosen by name and rank. */
export function formulaTensor(name: string, shape: number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const u = uniform01(fnv1a32(name), n);
  const out = new Float32Array(n);
  const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
  const end = (s: string) => name.endsWith(s);
  // The kind depends on the name only: decide it once, then fill (a, b) so that
  // v = a * s + b with s = 2u - 1, or v = 0.5 + u for variances.
  let a = 1;
  let b = 0;
  let variance = false;
  if (end('num_batches_tracked')) a = 0;
  else if (end('running_mean') || end('moving_mean:0')) a = 0.1;
  else if (end('running_var') || end('moving_variance:0')) variance = true;
  else if (end('bias') || end('bias:0') || end('beta:0')) a = 0.1;
  else if ((end('weight') && shape.length === 1) || end('gamma:0')) [a, b] = [0.25, 1];
  else if (end('weight') || end('kernel:0')) a = Math.sqrt(3 / fanIn);
  for (let i = 0; i < n; i++) out[i] = variance ? 0.5 + u[i]! : b === 0 ? (2 * u[i]! - 1) * a : b + a * (2 * u[i]! - 1);
  return out;
}

/** The fixed input in [-1, 1), generated in NCHW order like the Python side. */
export function formulaInputNCHW(shape: number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const u = uniform01(fnv1a32('input'), n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * u[i]! - 1;
  return out;
}

/** Reorders an NCHW buffer to NHWC. */
export function nchwToNhwc(data: Float32Array, [n, c, h, w]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n!; b++)
    for (let k = 0; k < c!; k++)
      for (let y = 0; y < h!; y++)
        for (let x = 0; x < w!; x++) out[((b * h! + y) * w! + x) * c! + k] = data[((b * c! + k) * h! + y) * w! + x]!;
  return out;
}
