import { layers } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkPositiveInt, checkRange, type InitializerLike } from '@resnet/blocks';
import { join } from '../internal/names.js';

/** BatchNorm and initializer options shared by every DenseNet part. */
export interface DenseNetNormArgs {
  /** BatchNorm epsilon. Default 1e-5 (PyTorch's). */
  bnEpsilon?: number;
  /** BatchNorm momentum in the tfjs convention (1 − PyTorch's 0.1). Default 0.9. */
  bnMomentum?: number;
  /** Conv kernel initializer. Default 'heNormal' (torchvision's kaiming_normal_, fan-in). */
  kernelInitializer?: InitializerLike;
}

/** Options of {@link denseLayer}. */
export interface DenseLayerArgs extends DenseNetNormArgs {
  /** Growth rate k: channels this layer adds. */
  growthRate: number;
  /** Bottleneck factor: the 1x1 conv outputs `bnSize·k` channels. Default 4 (DenseNet-B). */
  bnSize?: number;
  /** Dropout on the new features, in training only (torchvision's `drop_rate`). Default 0. */
  dropRate?: number;
  /** Module path, e.g. 'features.denseblock1.denselayer1'. */
  name?: string;
}

/** Options of {@link denseBlock}: a {@link DenseLayerArgs} for every layer plus the count. */
export interface DenseBlockArgs extends DenseLayerArgs {
  /** Number of dense layers in the block. */
  numLayers: number;
}

/** Options of {@link transition}. */
export interface TransitionArgs extends DenseNetNormArgs {
  /**
   * Output channels as a fraction of the input's (θ in the paper); the count is
   * `floor(θ·c)`, as torchvision's `num_features // 2`. Default 0.5.
   */
  compression?: number;
  /** Module path, e.g. 'features.transition1'. */
  name?: string;
}

function bn(x: SymbolicTensor, args: DenseNetNormArgs, name: string): SymbolicTensor {
  return layers
    .batchNormalization({ axis: -1, epsilon: args.bnEpsilon ?? 1e-5, momentum: args.bnMomentum ?? 0.9, name })
    .apply(x) as SymbolicTensor;
}

function relu(x: SymbolicTensor, name: string): SymbolicTensor {
  return layers.reLU({ name }).apply(x) as SymbolicTensor;
}

function channels(x: SymbolicTensor, what: string): number {
  const c = x.shape[x.shape.length - 1];
  if (c == null) throw new Error(`${what} needs NHWC input with a known channel count; got ${JSON.stringify(x.shape)}`);
  return c;
}

/**
 * One DenseNet-B layer (torchvision `_DenseLayer`): BN-ReLU-1x1 conv to `bnSize·k`, BN-ReLU-
 * 3x3 conv to `k`. Returns only the `k` new channels; {@link denseBlock} concatenates them.
 * Sublayers: `<name>.norm1`, `.relu1`, `.conv1`, `.norm2`, `.relu2`, `.conv2` (+ `.pad2`, `.dropout`).
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [56, 56, 64] });
 * const k = denseLayer(x, { growthRate: 32, name: 'denselayer1' }); // [null, 56, 56, 32]: only the new channels
 * ```
 */
export function denseLayer(x: SymbolicTensor, args: DenseLayerArgs): SymbolicTensor {
  checkPositiveInt(args.growthRate, 'growthRate');
  const bnSize = args.bnSize ?? 4;
  checkPositiveInt(bnSize, 'bnSize');
  const dropRate = args.dropRate ?? 0;
  checkRange(dropRate, 'dropRate', 0, 1, true);
  const kernelInitializer = args.kernelInitializer ?? 'heNormal';
  const n = (child: string) => join(args.name, child);
  let y = relu(bn(x, args, n('norm1')), n('relu1'));
  y = layers
    .conv2d({ filters: bnSize * args.growthRate, kernelSize: 1, useBias: false, kernelInitializer, name: n('conv1') })
    .apply(y) as SymbolicTensor;
  y = relu(bn(y, args, n('norm2')), n('relu2'));
  // Explicit symmetric padding, as PyTorch's padding=1 (stride 1, so 'same' would agree too;
  // being explicit keeps every conv in this package 'valid').
  y = layers.zeroPadding2d({ padding: 1, name: n('pad2') }).apply(y) as SymbolicTensor;
  y = layers
    .conv2d({ filters: args.growthRate, kernelSize: 3, useBias: false, kernelInitializer, name: n('conv2') })
    .apply(y) as SymbolicTensor;
  if (dropRate > 0) y = layers.dropout({ rate: dropRate, name: n('dropout') }).apply(y) as SymbolicTensor;
  return y;
}

/**
 * A dense block (torchvision `_DenseBlock`): layer `i` (1-based, `<name>.denselayer<i>`) sees
 * the concatenation of the block input and all earlier layers' outputs, in that order; the
 * block returns the concatenation of all, `c + numLayers·k` channels.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [56, 56, 64] });
 * const y = denseBlock(x, { numLayers: 6, growthRate: 32, name: 'features.denseblock1' }); // 64 + 6·32 = 256 channels
 * ```
 */
export function denseBlock(x: SymbolicTensor, args: DenseBlockArgs): SymbolicTensor {
  checkPositiveInt(args.numLayers, 'numLayers');
  channels(x, 'denseBlock');
  let features = x;
  for (let i = 1; i <= args.numLayers; i++) {
    const y = denseLayer(features, { ...args, name: join(args.name, `denselayer${i}`) });
    features = layers.concatenate({ axis: -1, name: join(args.name, `concat${i}`) }).apply([features, y]) as SymbolicTensor;
  }
  return features;
}

/**
 * A transition (torchvision `_Transition`): BN-ReLU-1x1 conv to `floor(compression·c)`
 * channels, then a 2x2 stride-2 average pool. Sublayers `<name>.norm`, `.relu`, `.conv`, `.pool`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [56, 56, 256] });
 * const y = transition(x, { name: 'features.transition1' }); // [null, 28, 28, 128]
 * ```
 */
export function transition(x: SymbolicTensor, args: TransitionArgs = {}): SymbolicTensor {
  const c = channels(x, 'transition');
  const compression = args.compression ?? 0.5;
  if (!(compression > 0 && compression <= 1)) {
    throw new Error(`compression must be in (0, 1]; got ${String(compression)}`);
  }
  const n = (child: string) => join(args.name, child);
  let y = relu(bn(x, args, n('norm')), n('relu'));
  y = layers
    .conv2d({
      filters: Math.floor(compression * c),
      kernelSize: 1,
      useBias: false,
      kernelInitializer: args.kernelInitializer ?? 'heNormal',
      name: n('conv'),
    })
    .apply(y) as SymbolicTensor;
  return layers.averagePooling2d({ poolSize: 2, strides: 2, padding: 'valid', name: n('pool') }).apply(y) as SymbolicTensor;
}
