/**
 * The one ResNet builder every ImageNet-family entrypoint passes data to (timm
 * style): stem, four stages of basic or bottleneck blocks, head. Layer names are
 * torchvision's module paths, so torchvision state dicts map by layout alone.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { KaimingNormal, basicBlock, bottleneckBlock, type BlockVariant, type ShortcutType } from '@resnet/blocks';
import { finishModel } from './head.js';
import { blockDropRate, validateOptions, type ModelOptions } from './options.js';

/** The architecture of a ResNet: what differs between resnet18 … resnext50_32x4d. */
export interface ResNetConfig {
  /** `'basic'` (ResNet-18/34) or `'bottleneck'` (ResNet-50 and up). */
  block: 'basic' | 'bottleneck';
  /** Blocks per stage, e.g. `[3, 4, 6, 3]` for ResNet-50. */
  layers: number[];
  /** Stage widths (torchvision `planes`). Default `[64, 128, 256, 512]`. */
  widths?: number[];
  /** Stem conv output channels. Default 64. */
  stemWidth?: number;
  /** Channel groups of the 3×3 convs (ResNeXt). Default 1. */
  groups?: number;
  /** Width per group (Wide ResNet-50-2: 128). Default 64. */
  baseWidth?: number;
}

/** Bottleneck expansion (output channels = width × 4), as torchvision. */
const EXPANSION = 4;

/**
 * Builds a ResNet from an architecture and the user's options. Stride-2 convs
 * and the stem max-pool pad explicitly so outputs match PyTorch; zero padding
 * before the max-pool equals PyTorch's −∞ padding because its input is ≥ 0
 * (after ReLU).
 */
export function buildResNet(config: ResNetConfig, opts: ModelOptions = {}, defaultName = 'resnet'): tfl.LayersModel {
  validateOptions(defaultName, opts);
  const variant: BlockVariant = opts.variant ?? 'v1.5';
  const shortcut: ShortcutType = opts.shortcut ?? 'auto';
  const useBias = variant === 'v1';
  // Keras applications use epsilon 1.001e-5; 'v1' exists to load those weights.
  const bnEpsilon = opts.bnEpsilon ?? (variant === 'v1' ? 1.001e-5 : 1e-5);
  const bnMomentum = opts.bnMomentum ?? 0.9;
  const widths = config.widths ?? [64, 128, 256, 512];
  const stemWidth = config.stemWidth ?? 64;
  if (config.layers.length !== widths.length) {
    throw new Error(`${defaultName}: layers [${config.layers.join(', ')}] and widths [${widths.join(', ')}] must have the same length`);
  }
  const bnLayer = (t: SymbolicTensor, name: string) =>
    tfl.layers.batchNormalization({ axis: -1, epsilon: bnEpsilon, momentum: bnMomentum, name }).apply(t) as SymbolicTensor;

  const input = tfl.input({ shape: opts.inputShape ?? [224, 224, 3], name: 'input' });
  let x = tfl.layers.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }).apply(input) as SymbolicTensor;
  x = tfl.layers
    .conv2d({ filters: stemWidth, kernelSize: 7, strides: 2, padding: 'valid', useBias, name: 'conv1', kernelInitializer: (opts.kernelInitializer ?? new KaimingNormal()) as never })
    .apply(x) as SymbolicTensor;
  if (variant !== 'v2') {
    // Pre-activation nets normalise inside the first block instead (timm ResNetV2, Keras ResNet50V2).
    x = bnLayer(x, 'bn1');
    x = tfl.layers.reLU({ name: 'relu' }).apply(x) as SymbolicTensor;
  }
  x = tfl.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'maxpool_pad' }).apply(x) as SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'maxpool' }).apply(x) as SymbolicTensor;

  const total = config.layers.reduce((a, b) => a + b, 0);
  let index = 0;
  config.layers.forEach((n, s) => {
    for (let b = 0; b < n; b++) {
      const common = {
        filters: widths[s]!,
        strides: (b === 0 && s > 0 ? 2 : 1) as 1 | 2,
        shortcut,
        variant,
        useBias,
        bnEpsilon,
        bnMomentum,
        zeroInitLastGamma: opts.zeroInitResidual ?? false,
        dropPathRate: blockDropRate(opts.dropPathRate ?? 0, index, total),
        name: `layer${s + 1}.${b}`,
        kernelInitializer: opts.kernelInitializer,
      };
      x = config.block === 'basic'
        ? basicBlock(x, common)
        : bottleneckBlock(x, { ...common, groups: config.groups ?? 1, baseWidth: config.baseWidth ?? 64, expansion: EXPANSION });
      index++;
    }
  });
  return finishModel({ input, last: x, opts, bnEpsilon, bnMomentum, defaultClasses: 1000, defaultName });
}
