import { input, layers, model } from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkPositiveInt, checkRange } from '@resnet/blocks';
import { denseBlock, transition } from './parts.js';
import type { DenseNetNormArgs } from './parts.js';

/** Options every DenseNet builder accepts (the same names as `@resnet/zoo`'s model options). */
export interface DenseNetOptions extends DenseNetNormArgs {
  /** Classifier outputs (logits, no softmax). Default 1000 (ImageNet) or 10 (CIFAR). */
  numClasses?: number;
  /** Add pooling and the 'classifier' Dense layer. Default true. */
  includeTop?: boolean;
  /**
   * With `includeTop: false`: 'avg' or 'max' global pooling of the final features, or
   * undefined for the feature map itself (after `features.norm5` and its ReLU).
   */
  pooling?: 'avg' | 'max';
  /** NHWC input shape without the batch. Default [224, 224, 3] (ImageNet) or [32, 32, 3] (CIFAR). */
  inputShape?: [number | null, number | null, number];
  /** Dropout after every dense layer, in training only (torchvision `drop_rate`). Default 0. */
  dropRate?: number;
}

/** The architecture of a DenseNet: what distinguishes DenseNet-121 from -161 or the CIFAR nets. */
export interface DenseNetConfig extends DenseNetOptions {
  /** Growth rate k. */
  growthRate: number;
  /** Dense layers per block, e.g. [6, 12, 24, 16] for DenseNet-121. */
  blockConfig: number[];
  /** Channels out of the stem. ImageNet nets: 64 (96 for -161); DenseNet-BC on CIFAR: 2k. */
  numInitFeatures: number;
  /** Bottleneck factor of the 1x1 convs. Default 4. */
  bnSize?: number;
  /** Transition compression θ. Default 0.5. */
  compression?: number;
  /**
   * 'imagenet': 7x7 stride-2 conv (pad 3), BN, ReLU, 3x3 stride-2 max pool (pad 1), as
   * torchvision. 'cifar': one 3x3 stride-1 conv (pad 1) and nothing else, as the paper's
   * CIFAR DenseNet-BC. Default 'imagenet'.
   */
  stem?: 'imagenet' | 'cifar';
  /** Model name. Default 'densenet'. */
  name?: string;
}

/**
 * Builds a DenseNet (Huang et al. 2017) with torchvision's module names: 'features.conv0',
 * 'features.norm0', 'features.pool0', 'features.denseblock<b>.denselayer<l>.norm1|conv1|norm2|conv2',
 * 'features.transition<b>.norm|conv|pool', 'features.norm5', 'classifier'. Every stride-2
 * op uses explicit zero padding and 'valid' so outputs match PyTorch's symmetric padding
 * (the max pool follows a ReLU, so zero padding equals PyTorch's −∞ padding).
 *
 * @example
 * ```ts
 * const tiny = densenet({ growthRate: 12, blockConfig: [2, 2], numInitFeatures: 24, numClasses: 10, inputShape: [32, 32, 3], stem: 'cifar' });
 * ```
 */
export function densenet(config: DenseNetConfig): LayersModel {
  checkPositiveInt(config.growthRate, 'growthRate');
  checkPositiveInt(config.numInitFeatures, 'numInitFeatures');
  if (config.blockConfig.length === 0) throw new Error('blockConfig must list at least one dense block');
  config.blockConfig.forEach((n, i) => checkPositiveInt(n, `blockConfig[${i}]`));
  checkRange(config.dropRate ?? 0, 'dropRate', 0, 1, true);
  const stem = config.stem ?? 'imagenet';
  if (stem !== 'imagenet' && stem !== 'cifar') throw new Error(`stem must be 'imagenet' or 'cifar'; got '${String(stem)}'`);
  const includeTop = config.includeTop ?? true;
  const numClasses = config.numClasses ?? (stem === 'cifar' ? 10 : 1000);
  if (includeTop) checkPositiveInt(numClasses, 'numClasses');
  if (config.pooling !== undefined && config.pooling !== 'avg' && config.pooling !== 'max') {
    throw new Error(`pooling must be 'avg', 'max' or undefined; got '${String(config.pooling)}'`);
  }
  const norm: DenseNetNormArgs = {
    bnEpsilon: config.bnEpsilon ?? 1e-5,
    bnMomentum: config.bnMomentum ?? 0.9,
    kernelInitializer: config.kernelInitializer ?? 'heNormal',
  };
  const bn = (x: SymbolicTensor, name: string) =>
    layers.batchNormalization({ axis: -1, epsilon: norm.bnEpsilon, momentum: norm.bnMomentum, name }).apply(x) as SymbolicTensor;

  const inp = input({ shape: config.inputShape ?? (stem === 'cifar' ? [32, 32, 3] : [224, 224, 3]), name: 'input' });
  let x: SymbolicTensor;
  if (stem === 'imagenet') {
    x = layers.zeroPadding2d({ padding: 3, name: 'features.pad0' }).apply(inp) as SymbolicTensor;
    x = layers
      .conv2d({ filters: config.numInitFeatures, kernelSize: 7, strides: 2, useBias: false, kernelInitializer: norm.kernelInitializer, name: 'features.conv0' })
      .apply(x) as SymbolicTensor;
    x = layers.reLU({ name: 'features.relu0' }).apply(bn(x, 'features.norm0')) as SymbolicTensor;
    x = layers.zeroPadding2d({ padding: 1, name: 'features.pool0.pad' }).apply(x) as SymbolicTensor;
    x = layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'features.pool0' }).apply(x) as SymbolicTensor;
  } else {
    x = layers.zeroPadding2d({ padding: 1, name: 'features.pad0' }).apply(inp) as SymbolicTensor;
    x = layers
      .conv2d({ filters: config.numInitFeatures, kernelSize: 3, useBias: false, kernelInitializer: norm.kernelInitializer, name: 'features.conv0' })
      .apply(x) as SymbolicTensor;
  }

  config.blockConfig.forEach((numLayers, i) => {
    x = denseBlock(x, {
      ...norm,
      numLayers,
      growthRate: config.growthRate,
      bnSize: config.bnSize ?? 4,
      dropRate: config.dropRate ?? 0,
      name: `features.denseblock${i + 1}`,
    });
    if (i < config.blockConfig.length - 1) {
      x = transition(x, { ...norm, compression: config.compression ?? 0.5, name: `features.transition${i + 1}` });
    }
  });
  // torchvision's `features` ends at norm5; its forward() applies the ReLU before pooling.
  x = layers.reLU({ name: 'features.relu5' }).apply(bn(x, 'features.norm5')) as SymbolicTensor;

  if (includeTop) {
    x = layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as SymbolicTensor;
    x = layers.dense({ units: numClasses, name: 'classifier' }).apply(x) as SymbolicTensor;
  } else if (config.pooling === 'avg') {
    x = layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as SymbolicTensor;
  } else if (config.pooling === 'max') {
    x = layers.globalMaxPooling2d({ name: 'maxpool' }).apply(x) as SymbolicTensor;
  }
  return model({ inputs: inp, outputs: x, name: config.name ?? 'densenet' });
}

/**
 * DenseNet-121: k = 32, blocks (6, 12, 24, 16), 64 stem channels; 7,978,856 trainable params at 1000 classes.
 *
 * @example
 * ```ts
 * const model = densenet121({ numClasses: 10 });
 * model.getLayer('features.denseblock1.denselayer1.conv1'); // torchvision's module names
 * ```
 */
export function densenet121(opts: DenseNetOptions = {}): LayersModel {
  return densenet({ ...opts, growthRate: 32, blockConfig: [6, 12, 24, 16], numInitFeatures: 64, name: 'densenet121' });
}

/**
 * DenseNet-161: k = 48, blocks (6, 12, 36, 24), 96 stem channels; 28,681,000 trainable params.
 *
 * @example
 * ```ts
 * const model = densenet161(); // 1000 classes, 224×224×3 input
 * ```
 */
export function densenet161(opts: DenseNetOptions = {}): LayersModel {
  return densenet({ ...opts, growthRate: 48, blockConfig: [6, 12, 36, 24], numInitFeatures: 96, name: 'densenet161' });
}

/**
 * DenseNet-169: k = 32, blocks (6, 12, 32, 32), 64 stem channels; 14,149,480 trainable params.
 *
 * @example
 * ```ts
 * const backbone = densenet169({ includeTop: false, pooling: 'avg' }); // [null, 1664] features
 * ```
 */
export function densenet169(opts: DenseNetOptions = {}): LayersModel {
  return densenet({ ...opts, growthRate: 32, blockConfig: [6, 12, 32, 32], numInitFeatures: 64, name: 'densenet169' });
}

/**
 * DenseNet-201: k = 32, blocks (6, 12, 48, 32), 64 stem channels; 20,013,928 trainable params.
 *
 * @example
 * ```ts
 * const model = densenet201({ numClasses: 100, inputShape: [null, null, 3] }); // any image size
 * ```
 */
export function densenet201(opts: DenseNetOptions = {}): LayersModel {
  return densenet({ ...opts, growthRate: 32, blockConfig: [6, 12, 48, 32], numInitFeatures: 64, name: 'densenet201' });
}

/**
 * DenseNet-BC (L = 100, k = 12) for 32x32 CIFAR images, as in the paper's Table 2: a 3x3
 * stem conv to 2k = 24 channels, three dense blocks of (100 − 4)/6 = 16 bottleneck layers,
 * compression 0.5, 10 classes by default.
 *
 * @example
 * ```ts
 * const model = densenetBC100(); // 32×32×3 → 10 logits; 769,162 parameters
 * ```
 */
export function densenetBC100(opts: DenseNetOptions = {}): LayersModel {
  return densenet({
    ...opts,
    growthRate: 12,
    blockConfig: [16, 16, 16],
    numInitFeatures: 24,
    compression: 0.5,
    stem: 'cifar',
    name: 'densenet_bc_100',
  });
}
