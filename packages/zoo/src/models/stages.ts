/**
 * The stem and the stages every ResNet of the zoo shares (timm's `make_blocks`):
 * `buildResNet` (ImageNet) and `buildCifarResNet` differ only in the data they
 * pass here and in what they put around it.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { KaimingNormal, basicBlock, bottleneckBlock, type BlockVariant, type BottleneckArgs, type InitializerLike } from '@resnet/blocks';
import { blockDropRate } from './options.js';

/** The stem conv of {@link stem}. */
interface StemSpec {
  filters: number;
  kernelSize: number;
  strides: 1 | 2;
  useBias: boolean;
  /** Default He normal, fan-out (torchvision). */
  kernelInitializer: InitializerLike | undefined;
  variant: BlockVariant;
  bnEpsilon: number;
  bnMomentum: number;
}

/**
 * `conv1` with PyTorch's padding `k // 2` (strided: an explicit `conv1_pad`
 * then `'valid'`, because TF's `'same'` pads bottom/right first), then `bn1` and
 * `relu`, except in pre-activation (`'v2'`) nets, which normalise inside the
 * first block instead (timm ResNetV2, Keras ResNet50V2).
 */
export function stem(input: SymbolicTensor, s: StemSpec): SymbolicTensor {
  const pad = Math.floor(s.kernelSize / 2);
  let x = input;
  if (s.strides > 1) x = tfl.layers.zeroPadding2d({ padding: [[pad, pad], [pad, pad]], name: 'conv1_pad' }).apply(x) as SymbolicTensor;
  x = tfl.layers
    .conv2d({
      filters: s.filters,
      kernelSize: s.kernelSize,
      strides: s.strides,
      padding: s.strides > 1 ? 'valid' : 'same',
      useBias: s.useBias,
      name: 'conv1',
      kernelInitializer: s.kernelInitializer ?? new KaimingNormal(),
    })
    .apply(x) as SymbolicTensor;
  if (s.variant === 'v2') return x;
  x = tfl.layers.batchNormalization({ axis: -1, epsilon: s.bnEpsilon, momentum: s.bnMomentum, name: 'bn1' }).apply(x) as SymbolicTensor;
  return tfl.layers.reLU({ name: 'relu' }).apply(x) as SymbolicTensor;
}

/** The stages of {@link makeStages}. */
interface StagesSpec {
  /** Block type of every stage. */
  block: 'basic' | 'bottleneck';
  /** Blocks per stage. */
  depths: readonly number[];
  /** `filters` of every block of each stage (bottleneck: the width before expansion). */
  widths: readonly number[];
  /** What every block gets besides its filters, stride, drop rate and name. */
  blockArgs: Omit<BottleneckArgs, 'filters' | 'strides' | 'dropPathRate' | 'name'>;
  /** Stochastic-depth rate of the last block; block i of n gets `rate · i / (n − 1)`. */
  dropPathRate: number;
}

/**
 * Stacks the stages: block `b` of stage `s` is named `layer{s+1}.{b}` (the
 * torchvision module path) and the first block of every stage but the first
 * has stride 2. Returns every stage's output (the last one is the trunk's).
 */
export function makeStages(input: SymbolicTensor, spec: StagesSpec): SymbolicTensor[] {
  const build = spec.block === 'basic' ? basicBlock : bottleneckBlock;
  const total = spec.depths.reduce((a, b) => a + b, 0);
  const stages: SymbolicTensor[] = [];
  let x = input;
  let index = 0;
  spec.depths.forEach((n, s) => {
    for (let b = 0; b < n; b++) {
      x = build(x, {
        ...spec.blockArgs,
        filters: spec.widths[s]!,
        strides: b === 0 && s > 0 ? 2 : 1,
        dropPathRate: blockDropRate(spec.dropPathRate, index++, total),
        name: `layer${s + 1}.${b}`,
      });
    }
    stages.push(x);
  });
  return stages;
}
