import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage, encodePng } from './image.js';

describe('decodeImage', () => {
  it('reads back the exact pixels of a PNG it wrote, as RGBA', () => {
    const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90];
    const img = decodeImage(encodePng(rgb, 3, 2));
    expect([img.width, img.height]).toEqual([3, 2]);
    const back = Array.from(img.data).filter((_, i) => i % 4 !== 3);
    expect(back).toEqual(rgb);
    expect(Array.from(img.data).filter((_, i) => i % 4 === 3)).toEqual([255, 255, 255, 255, 255, 255]);
  });

  it('decodes a JPEG (a flat colour survives compression within a few levels)', () => {
    const [w, h] = [16, 8];
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([200, 100, 50, 255], 4 * i);
    const img = decodeImage(new Uint8Array(jpeg.encode({ width: w, height: h, data: rgba }, 95).data));
    expect([img.width, img.height]).toEqual([w, h]);
    Array.from(img.data.slice(0, 3)).forEach((v, c) => expect(Math.abs(v - [200, 100, 50][c]!)).toBeLessThanOrEqual(3));
  });

  it('rejects other files and says which formats it reads', () => {
    expect(() => decodeImage(new Uint8Array([0x47, 0x49, 0x46, 0x38]), 'cat.gif')).toThrow(/cat\.gif: not a PNG or JPEG file \(first bytes 47 49 46 38\)/);
  });
});

describe('encodePng', () => {
  it('refuses data of the wrong length, saying what it needs', () => {
    expect(() => encodePng([1, 2, 3], 2, 2)).toThrow(/3 values; 2×2 RGB needs 12/);
  });
});
