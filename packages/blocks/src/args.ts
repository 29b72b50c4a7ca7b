import type { InitializerLike } from './initializer-util.js';

/**
 * How a block joins its input to the branch output.
 *
 * - `'auto'` (default): identity when the shape is unchanged, else projection.
 * - `'identity'`: always identity; an error if the block changes the shape.
 * - `'zero-pad'`: He et al. option A: identity, or when the shape changes a
 *   strided subsample with zero channels appended (no parameters).
 * - `'projection'`: option B: identity, or a 1×1 conv + BN when the shape changes
 *   (same as `'auto'`; named for the paper).
 * - `'projection-always'`: option C: a 1×1 conv + BN on every block.
 * - `'avg-down'`: ResNet-D (Bag of Tricks, timm `avg_down`): identity, or when the
 *   shape changes avg-pool (kernel = stride, ceil mode, padding not counted) then
 *   1×1 conv + BN.
 * - `'none'`: no shortcut and no junction: the "plain" twin of the block.
 */
export type ShortcutType = 'auto' | 'identity' | 'zero-pad' | 'projection' | 'projection-always' | 'avg-down' | 'none';

/** Valid {@link ShortcutType} values, for validation and UIs. */
export const SHORTCUT_TYPES: readonly ShortcutType[] = [
  'auto',
  'identity',
  'zero-pad',
  'projection',
  'projection-always',
  'avg-down',
  'none',
];

/**
 * Block layout.
 *
 * - `'v1.5'` (default): torchvision. Stride on the 3×3 conv; convs without bias.
 * - `'v1'`: the original paper / Keras applications. Stride on the first 1×1 conv
 *   of a bottleneck; convs with bias (the basic block differs from v1.5 only by
 *   the bias).
 * - `'v2'`: pre-activation (He et al. 2016b, timm `PreAct*`): BN → ReLU → conv,
 *   no ReLU after the add; projection / zero-pad / avg-down shortcuts take the
 *   pre-activated input, the identity takes the raw input; the projection has no
 *   BN.
 */
export type BlockVariant = 'v1' | 'v1.5' | 'v2';

/** Valid {@link BlockVariant} values. */
export const BLOCK_VARIANTS: readonly BlockVariant[] = ['v1', 'v1.5', 'v2'];

/** Options every block builder takes. */
export interface BlockArgs {
  /**
   * Basic block: output channels. Bottleneck: the width of the 3×3 conv before
   * groups/baseWidth scaling (torchvision's `planes`); the output is
   * `filters * expansion`.
   */
  filters: number;
  /** Stride of the block (1 or 2). Default 1. */
  strides?: 1 | 2;
  /** Shortcut type; see {@link ShortcutType}. Default `'auto'`. */
  shortcut?: ShortcutType;
  /** Block layout; see {@link BlockVariant}. Default `'v1.5'`. */
  variant?: BlockVariant;
  /** Convs with bias. Default: true for `'v1'`, false otherwise. */
  useBias?: boolean;
  /** BatchNorm epsilon. Default 1e-5 (PyTorch). */
  bnEpsilon?: number;
  /** BatchNorm momentum in the tfjs convention (`1 - PyTorch momentum`). Default 0.9. */
  bnMomentum?: number;
  /**
   * Start the residual branch at zero so the block is the identity at
   * initialisation (Goyal et al. 2017; torchvision `zero_init_residual`): the
   * last BN's gamma is 0 (v1, v1.5); for v2, whose branch ends in a conv, the
   * last conv's kernel is 0 (as timm's pre-activation blocks). Default false.
   */
  zeroInitLastGamma?: boolean;
  /** Stochastic-depth drop probability for this block's junction, `[0, 1)`. Default 0. */
  dropPathRate?: number;
  /** ReZero: a trainable scalar, initialised 0, multiplies the branch. Default false. */
  rezero?: boolean;
  /**
   * Conv kernel initializer: a tfjs initializer instance or identifier string.
   * Default: He normal, fan-out, untruncated ({@link KaimingNormal}), as torchvision.
   */
  kernelInitializer?: InitializerLike;
  /**
   * Prefix for every layer name, as a torchvision module path (`'layer1.0'` gives
   * `layer1.0.conv1`, `layer1.0.bn1`, …, `layer1.0.downsample.0`, `layer1.0.add`).
   * Default: a unique generated prefix.
   */
  name?: string;
}

/** Arguments of {@link basicBlock}. */
export interface BasicBlockArgs extends BlockArgs {
  /** Only 1 is valid (as torchvision's BasicBlock); present so generic code can pass it. */
  groups?: number;
  /** Only 64 is valid (as torchvision's BasicBlock). */
  baseWidth?: number;
}

/** Arguments of {@link bottleneckBlock}. */
export interface BottleneckArgs extends BlockArgs {
  /** Channel groups of the 3×3 conv (ResNeXt). Default 1. */
  groups?: number;
  /**
   * Width per group (ResNeXt "d"; Wide ResNet-50-2 uses 128). The 3×3 width is
   * `floor(filters * baseWidth / 64) * groups`, as torchvision. Default 64.
   */
  baseWidth?: number;
  /** Output channels = `filters * expansion`. Default 4. */
  expansion?: number;
}

/** Arguments of {@link projectionShortcut}. */
export interface ShortcutArgs {
  /** Output channels. */
  filters: number;
  /** Stride (1 or 2). Default 1. */
  strides?: 1 | 2;
  /**
   * `'projection'` (default): 1×1 strided conv + BN, layers `<name>.downsample.0|1`.
   * `'avg-down'`: avg-pool (when strided) + 1×1 conv + BN, layers
   * `<name>.downsample.0` (pool), `.1` (conv), `.2` (BN), as timm.
   */
  kind?: 'projection' | 'avg-down';
  /** Follow the conv with BatchNorm. Default true (false in v2 blocks). */
  batchNorm?: boolean;
  /** Conv with bias. Default false. */
  useBias?: boolean;
  /** BatchNorm epsilon. Default 1e-5. */
  bnEpsilon?: number;
  /** BatchNorm momentum, tfjs convention. Default 0.9. */
  bnMomentum?: number;
  /** Conv kernel initializer; default He normal fan-out. */
  kernelInitializer?: InitializerLike;
  /** Block prefix; layers are named `<name>.downsample.<i>`. Default generated. */
  name?: string;
}
