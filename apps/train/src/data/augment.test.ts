import { describe, expect, it } from 'vitest';
import { Rng } from '@resnet/blocks';
import { gatherBatch } from './augment.js';

/** One 6x6 single-channel image whose pixel (y, x) holds 10y + x + 1 (never 0, so padding is visible). */
function split(): { images: Float32Array; labels: Uint8Array; count: number } {
  const images = new Float32Array(36);
  for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) images[y * 6 + x] = 10 * y + x + 1;
  return { images, labels: Uint8Array.from([7]), count: 1 };
}

describe('gatherBatch', () => {
  it('copies images and labels when not augmenting', () => {
    const b = gatherBatch(split(), [0, 0], [6, 6, 1], null);
    expect(Array.from(b.labels)).toEqual([7, 7]);
    expect(Array.from(b.images.subarray(36))).toEqual(Array.from(split().images));
  });

  it('every augmented image is a shifted (and possibly mirrored) window with zero padding', () => {
    const src = split().images;
    const rng = new Rng(5);
    let flips = 0;
    for (let t = 0; t < 200; t++) {
      const img = gatherBatch(split(), [0], [6, 6, 1], rng, { crop: true, flip: true }).images;
      // Recover the shift from any non-zero pixel and check every pixel against it.
      let found = false;
      for (const flip of [false, true]) {
        for (let dy = -4; dy <= 4 && !found; dy++) {
          for (let dx = -4; dx <= 4 && !found; dx++) {
            let ok = true;
            for (let y = 0; y < 6 && ok; y++) {
              for (let x = 0; x < 6 && ok; x++) {
                const sy = y + dy;
                const sx0 = x + dx;
                const want = sy < 0 || sy > 5 || sx0 < 0 || sx0 > 5 ? 0 : src[sy * 6 + (flip ? 5 - sx0 : sx0)]!;
                ok = img[y * 6 + x] === want;
              }
            }
            if (ok) {
              found = true;
              if (flip) flips++;
            }
          }
        }
      }
      expect(found).toBe(true);
    }
    expect(flips).toBeGreaterThan(40); // about half of 200 are mirrored
  });

  it('is reproducible from the RNG state', () => {
    const a = gatherBatch(split(), [0, 0, 0], [6, 6, 1], new Rng(9), { crop: true, flip: true });
    const b = gatherBatch(split(), [0, 0, 0], [6, 6, 1], new Rng(9), { crop: true, flip: true });
    expect(a.images).toEqual(b.images);
  });
});
