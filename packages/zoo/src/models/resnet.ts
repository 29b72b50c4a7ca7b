/**
 * The one ResNet builder every ImageNet-family entrypoint passes data to (timm
 * style): stem, four stages of basic or bottleneck blocks, head. Layer names are
 * torchvision's module paths, so torchvision state dicts map by layout alone.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { BlockVariant } from '@resnet/blocks';
import { finishModel } from './head.js';
import { validateOptions, type ModelOptions } from './options.js';
import { makeStages, stem } from './stages.js';

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
 *
 * @example
 * ```ts
 * const resnet26 = buildResNet({ block: 'bottleneck', layers: [2, 2, 2, 2] }, { numClasses: 10 }, 'resnet26');
 * ```
 */
export function buildResNet(config: ResNetConfig, opts: ModelOptions = {}, defaultName = 'resnet'): tfl.LayersModel {
  validateOptions(defaultName, opts);
  const variant: BlockVariant = opts.variant ?? 'v1.5';
  const useBias = variant === 'v1';
  // Keras applications use epsilon 1.001e-5; 'v1' exists to load those weights.
  const bnEpsilon = opts.bnEpsilon ?? (variant === 'v1' ? 1.001e-5 : 1e-5);
  const bnMomentum = opts.bnMomentum ?? 0.9;
  const widths = config.widths ?? [64, 128, 256, 512];
  const stemWidth = config.stemWidth ?? 64;
  if (config.layers.length !== widths.length) {
    throw new Error(`${defaultName}: layers [${config.layers.join(', ')}] and widths [${widths.join(', ')}] must have the same length`);
  }
  const kernelInitializer = opts.kernelInitializer;
  const input = tfl.input({ shape: opts.inputShape ?? [224, 224, 3], name: 'input' });
  let x = stem(input, { filters: stemWidth, kernelSize: 7, strides: 2, useBias, kernelInitializer, variant, bnEpsilon, bnMomentum });
  x = tfl.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'maxpool_pad' }).apply(x) as SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'maxpool' }).apply(x) as SymbolicTensor;
  const stages = makeStages(x, {
    block: config.block,
    depths: config.layers,
    widths,
    blockArgs: {
      shortcut: opts.shortcut ?? 'auto',
      variant,
      useBias,
      bnEpsilon,
      bnMomentum,
      zeroInitLastGamma: opts.zeroInitResidual ?? false,
      kernelInitializer,
      ...(config.block === 'bottleneck' ? { groups: config.groups ?? 1, baseWidth: config.baseWidth ?? 64, expansion: EXPANSION } : {}),
    },
    dropPathRate: opts.dropPathRate ?? 0,
  });
  return finishModel({ input, last: stages[stages.length - 1]!, opts, bnEpsilon, bnMomentum, defaultClasses: 1000, defaultName });
}
