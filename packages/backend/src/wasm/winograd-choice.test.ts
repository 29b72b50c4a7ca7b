import { describe, expect, it } from 'vitest';
import { winogradTile, type WinogradCandidate } from './winograd.js';

const layer = (n: number, size: number, channels: number, extra: Partial<WinogradCandidate> = {}): WinogradCandidate => ({
  n, ci: channels, fh: 3, fw: 3, outHeight: size, outWidth: size, outChannels: channels,
  strideHeight: 1, strideWidth: 1, inputDilationHeight: 1, inputDilationWidth: 1, ...extra,
});

// The cost model's choices on the layers the kernels bench measured
// (bench/src/kernels.ts, 29 Nov 2026): F(4×4) fastest on the training shapes and
// 56×56 at batch 1; at 7×7×512, batch 1, F(4×4) 9.1 ms, direct 7.0, F(2×2) 6.9.
describe('the Winograd tile chosen per layer', () => {
  it('training shapes (batch 128) take F(4×4)', () => {
    for (const [size, c] of [[32, 16], [16, 32], [8, 64]] as const) expect(winogradTile('auto', layer(128, size, c))).toBe(4);
  });

  it('a 7×7 layer at batch 1 never takes F(4×4); larger ones at batch 1 take a Winograd tile', () => {
    expect(winogradTile('auto', layer(1, 7, 512))).toBe(0);
    expect(winogradTile('auto', layer(1, 14, 256))).toBeGreaterThan(0);
    expect(winogradTile('auto', layer(1, 56, 64))).toBe(4);
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
