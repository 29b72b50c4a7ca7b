import { decodeImage } from '@resnet/zoo';
import { describe, expect, it } from 'vitest';
import { encodePng } from './image.js';

describe('encodePng', () => {
  it('writes a PNG that decodes back to the exact pixels', async () => {
    const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90];
    const img = await decodeImage(encodePng(rgb, 3, 2));
    expect([img.width, img.height]).toEqual([3, 2]);
    expect(Array.from(img.data)).toEqual(rgb);
  });

  it('refuses data of the wrong length, saying what it needs', () => {
    expect(() => encodePng([1, 2, 3], 2, 2)).toThrow(/3 values; 2×2 RGB needs 12/);
  });
});
