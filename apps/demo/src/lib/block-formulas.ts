// Closed-form parameter counts of the three block kinds of section 2, written
// out from the layer shapes so the page can set them beside the built blocks.

/** Parameter count of one block, split the way the two conventions need it. */
export interface BlockCount {
  /** Convolution kernels (no biases: every conv is followed by BatchNorm). */
  convWeights: number;
  /** BatchNorm gamma and beta (trainable). */
  bnAffine: number;
  /** BatchNorm moving mean and variance (Keras/tfjs count them, PyTorch does not). */
  bnStats: number;
}

/** PyTorch convention: trainable parameters only. */
export const pytorchCount = (c: BlockCount): number => c.convWeights + c.bnAffine;
/** Keras / tfjs `countParams()` convention: everything including BN statistics. */
export const kerasCount = (c: BlockCount): number => c.convWeights + c.bnAffine + c.bnStats;

function checkWidth(d: number): void {
  if (!Number.isInteger(d) || d < 4 || d % 4 !== 0) {
    throw new Error(`block width must be a positive multiple of 4 (the bottleneck works at width/4); got ${d}`);
  }
}

/** Basic block of width d: two 3×3 convs d→d, each followed by BN. */
export function basicBlockCount(d: number): BlockCount {
  checkWidth(d);
  return { convWeights: 2 * 3 * 3 * d * d, bnAffine: 2 * 2 * d, bnStats: 2 * 2 * d };
}

/** Bottleneck of output width d: 1×1 d→d/4, 3×3 d/4→d/4, 1×1 d/4→d, each followed by BN. */
export function bottleneckCount(d: number): BlockCount {
  checkWidth(d);
  const w = d / 4;
  return { convWeights: d * w + 3 * 3 * w * w + w * d, bnAffine: 2 * (w + w + d), bnStats: 2 * (w + w + d) };
}

/** Projection shortcut where a stage doubles the width: 1×1 conv d/2→d (stride 2) then BN. */
export function projectionCount(d: number): BlockCount {
  checkWidth(d);
  return { convWeights: (d / 2) * d, bnAffine: 2 * d, bnStats: 2 * d };
}

/**
 * How many times fewer convolution weights a bottleneck needs than a basic block
 * of the same width: 18d² / (d²/2 + 9d²/16) = 288/17 ≈ 16.9, whatever d is.
 */
export function bottleneckSaving(d: number): number {
  return basicBlockCount(d).convWeights / bottleneckCount(d).convWeights;
}
