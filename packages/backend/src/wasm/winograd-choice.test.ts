import { describe, expect, it } from 'vitest';
import { MAX_KEPT_F4_FLOATS, winogradFilterFloats, winogradTile, type WinogradCandidate } from './winograd.js';

const layer = (n: number, size: number, channels: number, extra: Partial<WinogradCandidate> = {}): WinogradCandidate => ({
  n, ci: channels, fh: 3, fw: 3, outHeight: size, outWidth: size, outChannels: channels,
  strideHeight: 1, strideWidth: 1, inputDilationHeight: 1, inputDilationWidth: 1, ...extra,
});

// The cost model's choices on the layers the kernels bench measured
// (bench/src/kernels.ts, 29 Nov 2026, filters kept between calls): F(4×4) fastest
// on every training shape and at batch 1 on 56×56, 28×28 and 7×7 (3.7 ms against
// 5.5 direct), tied with F(2×2) on 14×14.
describe('the Winograd tile chosen per layer', () => {
  it('training shapes (batch 128) take F(4×4)', () => {
    for (const [size, c] of [[32, 16], [16, 32], [8, 64]] as const) expect(winogradTile('auto', layer(128, size, c))).toBe(4);
  });

  it('ResNet-50\'s 3×3 layers at batch 1: F(4×4) where its filter is kept, F(2×2) where it would be transformed at every call', () => {
    for (const [size, c] of [[56, 64], [28, 128]] as const) expect(winogradTile('auto', layer(1, size, c))).toBe(4);
    for (const [size, c] of [[14, 256], [7, 512]] as const) {
      expect(winogradFilterFloats(4, c, c)).toBeGreaterThan(MAX_KEPT_F4_FLOATS);
      expect(winogradTile('auto', layer(1, size, c))).toBe(2);
    }
  });

  it('at batch 8 the F(4×4) transform per call pays: every ResNet-50 3×3 layer takes F(4×4)', () => {
    for (const [size, c] of [[56, 64], [28, 128], [14, 256], [7, 512]] as const) expect(winogradTile('auto', layer(8, size, c))).toBe(4);
  });

  it('a layer of very few pixels and many channels stays direct (its filter would be read for nothing)', () => {
    expect(winogradTile('auto', layer(1, 2, 512))).toBe(0);
  });

  it('only 3×3, stride-1, undilated layers of ≥ 8 channels (multiples of 4) qualify, whatever is asked', () => {
    for (const extra of [{ fh: 1, fw: 1 }, { strideHeight: 2 }, { inputDilationWidth: 2 }, { ci: 4 }, { outChannels: 6 }]) {
      expect(winogradTile(4, layer(8, 16, 16, extra))).toBe(0);
      expect(winogradTile('auto', layer(8, 16, 16, extra))).toBe(0);
    }
    expect(winogradTile(2, layer(1, 7, 512))).toBe(2);
    expect(winogradTile(0, layer(128, 32, 16))).toBe(0);
  });
});
