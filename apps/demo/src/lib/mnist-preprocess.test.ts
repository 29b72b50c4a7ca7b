import { describe, expect, it } from 'vitest';
import { inkBox, resampleArea, toMnist, type GrayImage } from './mnist-preprocess.js';

function blank(w: number, h: number): GrayImage {
  return { width: w, height: h, data: new Float32Array(w * h) };
}
function fillRect(img: GrayImage, x0: number, y0: number, x1: number, y1: number): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) img.data[y * img.width + x] = 1;
}
const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

describe('MNIST preprocessing of a drawing', () => {
  it('a blank drawing gives null', () => {
    expect(inkBox(blank(10, 10))).toBeNull();
    expect(toMnist(blank(280, 280))).toBeNull();
  });

  it('area resampling keeps the mean: a 4×4 block of ones into 2×2 gives ones', () => {
    const img = blank(8, 8);
    fillRect(img, 2, 2, 6, 6);
    expect(Array.from(resampleArea(img, 2, 2, 4, 4, 2, 2))).toEqual([1, 1, 1, 1]);
    // Half covered: columns 0..3 of an 8-wide image are ink, resampled to 2 pixels wide.
    const half = blank(8, 1);
    fillRect(half, 0, 0, 4, 1);
    expect(Array.from(resampleArea(half, 0, 0, 8, 1, 2, 1))).toEqual([1, 0]);
    expect(Array.from(resampleArea(half, 0, 0, 8, 1, 1, 1))).toEqual([0.5]);
  });

  it('a tall bar becomes 20 px tall, keeps its aspect and is centred by mass', () => {
    const img = blank(280, 280);
    fillRect(img, 30, 40, 70, 240); // 40 wide, 200 tall: aspect 1:5
    const d = toMnist(img)!;
    const bb = inkBox({ width: 28, height: 28, data: d })!;
    expect(bb.y1 - bb.y0).toBe(20);
    expect(bb.x1 - bb.x0).toBe(4); // 40/200 · 20
    // Centre of mass of a uniform bar is its middle: rows 4..24, columns 12..16.
    expect(bb).toEqual({ x0: 12, y0: 4, x1: 16, y1: 24 });
    expect(sum(d)).toBeCloseTo(80, 4);
  });
});
