import { describe, expect, it } from 'vitest';
import { hwioToOihw, oihwToHwio, transpose2d } from './layout.js';

/** OIHW -> HWIO by the definition: out[y][x][b][a] = src[a][b][y][x]. */
function byDefinition(src: Float32Array, [o, i, h, w]: number[]): Float32Array {
  const out = new Float32Array(src.length);
  for (let a = 0; a < o!; a++)
    for (let b = 0; b < i!; b++)
      for (let y = 0; y < h!; y++)
        for (let x = 0; x < w!; x++) out[((y * w! + x) * i! + b) * o! + a] = src[((a * i! + b) * h! + y) * w! + x]!;
  return out;
}

describe('kernel layouts', () => {
  // Shapes across the 32-wide tiles (edges not multiples of 32), 1×1, 3×3, 7×7 and non-square kernels.
  const shapes = [[1, 1, 1, 1], [37, 33, 3, 3], [70, 65, 1, 1], [64, 3, 7, 7], [5, 40, 2, 3], [33, 1, 1, 4]];
  for (const shape of shapes) {
    it(`OIHW [${shape.join(', ')}] -> HWIO by definition, and back`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const src = Float32Array.from({ length: n }, (_, k) => k + 1);
      const hwio = oihwToHwio(src, shape);
      expect(hwio).toEqual(byDefinition(src, shape));
      expect(hwio.buffer).not.toBe(src.buffer);
      const [o, i, h, w] = shape as [number, number, number, number];
      expect(hwioToOihw(hwio, [h, w, i, o])).toEqual(src);
    });
  }
  it('transpose2d of [[1, 2, 3], [4, 5, 6]] is [[1, 4], [2, 5], [3, 6]]', () => {
    expect([...transpose2d(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3])]).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
