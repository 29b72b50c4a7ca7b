/** What decides whether a convolution can go by Winograd. */
export interface WinogradCandidate {
  fh: number;
  fw: number;
  ci: number;
  outChannels: number;
  strideHeight: number;
  strideWidth: number;
  inputDilationHeight: number;
  inputDilationWidth: number;
}

/** Floats of padding after each point's rows in the kernels' scratch (PAD in csrc/winograd.c). */
export const WINOGRAD_PAD = 16;

/** Channels below which the transforms cost more than the multiplies they save. */
const MIN_CHANNELS = 8;

/**
 * The Winograd tile size m (F(m×m, 3×3)) a convolution runs with, or 0 for the
 * direct kernel: `option` (0, 2 or 4) for 3×3, stride-1, undilated convolutions
 * with at least {@link MIN_CHANNELS} input and output channels (multiples of 4).
 */
export function winogradTile(option: number, c: WinogradCandidate): number {
  const applies = c.fh === 3 && c.fw === 3 && c.strideHeight === 1 && c.strideWidth === 1 &&
    c.inputDilationHeight === 1 && c.inputDilationWidth === 1 && c.ci >= MIN_CHANNELS && c.outChannels >= MIN_CHANNELS &&
    c.ci % 4 === 0 && c.outChannels % 4 === 0;
  return applies ? option : 0;
}

/**
 * Tiles per group (a multiple of 4, 4..cap): as many as keep the group's
 * transformed inputs, `points` × tiles × `channels` floats, within 256 KB (the
 * per-core L2 cache holds them while the products read them).
 */
export function winogradGroup(points: number, channels: number, cap = 64): number {
  return Math.max(4, Math.min(cap, Math.floor(65536 / (points * channels)) & ~3));
}
