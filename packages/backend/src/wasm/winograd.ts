import type { SimdConvGeometry } from './conv2d-simd.js';

/** What decides whether, and how, a convolution goes by Winograd: batch, input channels, filter size and the geometry. */
export type WinogradCandidate = Omit<SimdConvGeometry, 'padTop' | 'padLeft' | 'relu'> & { n: number; ci: number; fh: number; fw: number };

/** Floats of padding after each point's rows in the kernels' scratch (PAD in csrc/winograd.c). */
export const WINOGRAD_PAD = 16;

/** Channels below which the transforms cost more than the multiplies they save. */
const MIN_CHANNELS = 8;
/** Cost, in multiply-adds, of transforming one value of a tile at one point (input or output; measured). */
const TILE_TRANSFORM = 12;
/**
 * Cost, in multiply-adds, of reading one value of the (packed or transformed)
 * filter from memory, once per call: at batch 1 a late layer's filter serves
 * few pixels (ResNet-50's 7×7×512: 9 MB, 38 MB transformed for F(4×4), for 49
 * pixels). The transform itself is paid once where filters used again are
 * kept (filter-cache.ts; see {@link MAX_KEPT_F4_FLOATS}), and training's large
 * batches dwarf it.
 */
const FILTER_READ = 4;
/**
 * Most floats of an F(4×4) transformed filter kept between calls (4 MB): it is
 * 4× the 3×3 filter (F(2×2)'s, always kept, is 1.8×), so ResNet-50's 14×14 and
 * 7×7 stages would keep 160 MB of them. A larger one is transformed again at
 * every call instead, which the model below charges ({@link FILTER_TRANSFORM}):
 * at batch 1 those layers then take F(2×2), kept (71 MB); at batch 8 F(4×4),
 * transformed per call. Every CIFAR ResNet layer and ResNet-50's 56×56 and
 * 28×28 stages keep their F(4×4) filters.
 */
export const MAX_KEPT_F4_FLOATS = 2 ** 20;
/** Cost, in multiply-adds, of transforming the filter for one point of one channel pair (F(4×4)'s G·g·Gᵀ: 162 for 36 points). */
const FILTER_TRANSFORM = 5;

/**
 * Whether the transformed (m 2, 4) or packed (m 0) filter of a ci → co layer is
 * kept between calls: Winograd's, up to {@link MAX_KEPT_F4_FLOATS} for F(4×4);
 * a packed one never (packing is a copy, a few per cent of the call's time, and
 * keeping it would hold a second copy of those weights).
 */
export function keepsFilter(m: number, ci: number, co: number): boolean {
  return m === 2 || (m === 4 && winogradFilterFloats(4, ci, co) <= MAX_KEPT_F4_FLOATS);
}

/**
 * The Winograd tile size m of F(m×m, 3×3) a convolution runs with, or 0 for the
 * direct kernel. Only 3×3, stride-1, undilated convolutions with at least
 * {@link MIN_CHANNELS} input and output channels (multiples of 4) qualify;
 * `choice` 2 or 4 forces that tile on them, 0 none, and 'auto' takes whichever
 * of direct, F(2×2) and F(4×4) costs least by a model of multiply-adds, tile
 * transforms, filter traffic, and filter transforms where the transformed
 * filter is too large to keep ({@link MAX_KEPT_F4_FLOATS}). The choice depends
 * on the shapes alone (not on what is cached), so that the same call always
 * rounds the same way.
 */
export function winogradTile(choice: 'auto' | 0 | 2 | 4, c: WinogradCandidate): number {
  const applies = c.fh === 3 && c.fw === 3 && c.strideHeight === 1 && c.strideWidth === 1 &&
    c.inputDilationHeight === 1 && c.inputDilationWidth === 1 && c.ci >= MIN_CHANNELS && c.outChannels >= MIN_CHANNELS &&
    c.ci % 4 === 0 && c.outChannels % 4 === 0;
  if (!applies || choice !== 'auto') return applies && choice !== 'auto' ? choice : 0;
  const pairs = c.ci * c.outChannels;
  let best = 0;
  let least = (c.n * c.outHeight * c.outWidth + FILTER_READ) * 9 * pairs;
  for (const m of [2, 4]) {
    const tiles = c.n * Math.ceil(c.outHeight / m) * Math.ceil(c.outWidth / m);
    const points = (m + 2) ** 2;
    const perCall = FILTER_READ + (keepsFilter(m, c.ci, c.outChannels) ? 0 : FILTER_TRANSFORM);
    const cost = tiles * points * (pairs + TILE_TRANSFORM * (c.ci + c.outChannels)) + perCall * points * pairs;
    if (cost < least) {
      least = cost;
      best = m;
    }
  }
  return best;
}

/** Floats of the transformed filter of F(m×m, 3×3) (csrc/winograd.c's layout: 8-channel blocks, padded points). */
export function winogradFilterFloats(m: number, ci: number, co: number): number {
  return Math.ceil(co / 8) * (m + 2) ** 2 * (8 * ci + WINOGRAD_PAD);
}

/**
 * Tiles per group (a multiple of 4, 4..cap): as many as keep the group's
 * transformed inputs, `points` × tiles × `channels` floats, within 256 KB (the
 * per-core L2 cache holds them while the products read them).
 */
export function winogradGroup(points: number, channels: number, cap = 64): number {
  return Math.max(4, Math.min(cap, Math.floor(65536 / (points * channels)) & ~3));
}

/** Floats of a point's filter-gradient accumulators (ci·co) from which they, not the tiles, set the group (64 KB). */
const LARGE_ACCUMULATORS = 16384;

/**
 * Tiles per group of the Winograd filter gradient: {@link winogradGroup}'s,
 * or, where a point's ci·co accumulators outgrow the L2 cache's share
 * ({@link LARGE_ACCUMULATORS}: 128 channels in and out), as many as keep one
 * point's transformed tiles (G·(ci + co) floats) within 64 KB: the kernel loads
 * and stores every accumulator once a group, so few tiles a group streamed
 * them more than it multiplied (ResNet-18/50's 14×14×256 and 7×7×512 layers at
 * batch 8: 1.34–1.49× faster than with the smaller groups).
 */
export function filterGradGroup(points: number, ci: number, co: number): number {
  const tiles = winogradGroup(points, ci + co, 256);
  return ci * co < LARGE_ACCUMULATORS ? tiles : Math.max(tiles, Math.min(256, Math.floor(LARGE_ACCUMULATORS / (ci + co)) & ~3));
}
