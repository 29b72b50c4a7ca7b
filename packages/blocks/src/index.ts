/**
 * @packageDocumentation
 * Residual building blocks for TensorFlow.js: basic, bottleneck and
 * pre-activation blocks, projection / zero-pad / avg-down shortcuts and the
 * {@link ResidualAdd} junction layer. Blocks are functional builders over
 * standard tfjs-layers layers with torchvision-style names. Importing this
 * package registers its custom layers and initializer for serialization.
 */
export { ResidualAdd, residualAdd, type ResidualAddArgs } from './residual-add.js';
export { basicBlock } from './basic-block.js';
export { bottleneckBlock } from './bottleneck-block.js';
export { projectionShortcut } from './shortcut.js';
export {
  BLOCK_VARIANTS,
  SHORTCUT_TYPES,
  type BasicBlockArgs,
  type BlockArgs,
  type BlockVariant,
  type BottleneckArgs,
  type ShortcutArgs,
  type ShortcutType,
} from './args.js';
export { ZeroPadShortcut, type ZeroPadShortcutArgs } from './zero-pad-shortcut.js';
export { GroupedConv2D, type GroupedConv2DArgs } from './grouped-conv2d.js';
export { KaimingNormal, type KaimingNormalArgs } from './kaiming-normal.js';
export { resolveInitializer, type Initializer, type InitializerLike } from './initializer-util.js';
export { checkPositiveInt, checkRange } from './validate.js';
export { Rng, withSeededMathRandom, type RngState } from './random.js';
export { fuseForInference, type FuseOptions, type FusedInference } from './inference/fuse.js';
export { CONV2D_RESIDUAL } from './inference/fused-conv.js';
