/**
 * Every model of the zoo, registered here once (timm's `register_model`): each
 * entrypoint carries its registry name and family and only passes data to one
 * builder. The registry (`listModels`, `modelFamily`, `createModel`) reads this
 * module, and the package exports every entrypoint under its own name, so a new
 * model is one line here. Names are frozen once weights ship.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import * as residual from '@resnet/residual';
import { buildCifarResNet } from './cifar.js';
import { buildDenseNet } from './densenet.js';
import type { ModelOptions } from './options.js';
import type { ModelFamily, ZooModel } from './registry.js';
import { buildResNet, type ResNetConfig } from './resnet.js';

function zooModel(modelName: string, family: ModelFamily, build: (opts: ModelOptions | undefined, name: string) => LayersModel): ZooModel {
  return Object.assign((opts?: ModelOptions) => build(opts, modelName), { modelName, family });
}
const imagenet = (name: string, config: ResNetConfig) => zooModel(name, 'imagenet', (o, n) => buildResNet(config, o, n));
const cifar = (name: string, depth: number, plain = false) => zooModel(name, 'cifar', (o, n) => buildCifarResNet(depth, plain, o, n));
const densenet = (name: string, build: typeof residual.densenet121) => zooModel(name, 'densenet', (o, n) => buildDenseNet(build, o, n));

/**
 * ResNet-18 (basic blocks [2, 2, 2, 2]); 11,689,512 trainable parameters at 1000 classes.
 *
 * @example
 * ```ts
 * const model = resnet18({ numClasses: 10 });
 * ```
 */
export const resnet18 = imagenet('resnet18', { block: 'basic', layers: [2, 2, 2, 2] });
/**
 * ResNet-34 (basic blocks [3, 4, 6, 3]); 21,797,672 trainable parameters.
 *
 * @example
 * ```ts
 * const model = resnet34();
 * ```
 */
export const resnet34 = imagenet('resnet34', { block: 'basic', layers: [3, 4, 6, 3] });
/**
 * ResNet-50 (bottleneck blocks [3, 4, 6, 3]); 25,557,032 trainable parameters.
 *
 * @example
 * ```ts
 * const model = resnet50({ variant: 'v1' }); // Keras applications' layout (the default is torchvision's v1.5)
 * ```
 */
export const resnet50 = imagenet('resnet50', { block: 'bottleneck', layers: [3, 4, 6, 3] });
/**
 * ResNet-101 (bottleneck blocks [3, 4, 23, 3]); 44,549,160 trainable parameters.
 *
 * @example
 * ```ts
 * const backbone = resnet101({ includeTop: false, pooling: 'avg' });
 * ```
 */
export const resnet101 = imagenet('resnet101', { block: 'bottleneck', layers: [3, 4, 23, 3] });
/**
 * ResNet-152 (bottleneck blocks [3, 8, 36, 3]); 60,192,808 trainable parameters.
 *
 * @example
 * ```ts
 * const model = resnet152({ dropPathRate: 0.2 }); // stochastic depth, linear rule
 * ```
 */
export const resnet152 = imagenet('resnet152', { block: 'bottleneck', layers: [3, 8, 36, 3] });
/**
 * Wide ResNet-50-2 (Zagoruyko & Komodakis 2016, torchvision layout: 3×3 width doubled).
 *
 * @example
 * ```ts
 * const model = wide_resnet50_2();
 * ```
 */
export const wide_resnet50_2 = imagenet('wide_resnet50_2', { block: 'bottleneck', layers: [3, 4, 6, 3], baseWidth: 128 });
/**
 * ResNeXt-50 32×4d (Xie et al. 2017): 32 groups of width 4 in the first stage.
 *
 * @example
 * ```ts
 * const model = resnext50_32x4d({ numClasses: 200 });
 * ```
 */
export const resnext50_32x4d = imagenet('resnext50_32x4d', { block: 'bottleneck', layers: [3, 4, 6, 3], groups: 32, baseWidth: 4 });

/**
 * CIFAR ResNet-8 (n = 1; 0.08M parameters): the smallest of the family, for quick runs and tests.
 *
 * @example
 * ```ts
 * const model = resnet8({ widths: [4, 8, 8] }); // tiny, for tests
 * ```
 */
export const resnet8 = cifar('resnet8', 8);
/**
 * CIFAR ResNet-20 (n = 3; 0.27M parameters).
 *
 * @example
 * ```ts
 * const model = resnet20(); // 32×32×3 → 10 logits; 269,722 parameters
 * ```
 */
export const resnet20 = cifar('resnet20', 20);
/**
 * CIFAR ResNet-32 (n = 5; 0.46M parameters).
 *
 * @example
 * ```ts
 * const model = resnet32({ numClasses: 100 });
 * ```
 */
export const resnet32 = cifar('resnet32', 32);
/**
 * CIFAR ResNet-44 (n = 7; 0.66M parameters).
 *
 * @example
 * ```ts
 * const model = resnet44({ shortcut: 'projection' }); // option B instead of the zero-pad option A
 * ```
 */
export const resnet44 = cifar('resnet44', 44);
/**
 * CIFAR ResNet-56 (n = 9; 0.85M parameters).
 *
 * @example
 * ```ts
 * const model = resnet56({ inputShape: [32, 32, 1] }); // MNIST padded to 32×32
 * ```
 */
export const resnet56 = cifar('resnet56', 56);
/**
 * CIFAR ResNet-110 (n = 18; 1.7M parameters).
 *
 * @example
 * ```ts
 * const model = resnet110();
 * ```
 */
export const resnet110 = cifar('resnet110', 110);
/**
 * CIFAR ResNet-1202 (n = 200; 19.4M parameters).
 *
 * @example
 * ```ts
 * const model = resnet1202(); // 19.4M parameters: the paper's overfitting case
 * ```
 */
export const resnet1202 = cifar('resnet1202', 1202);
/**
 * CIFAR plain net with 8 layers (ResNet-8 without shortcuts).
 *
 * @example
 * ```ts
 * const model = plain8({ widths: [4, 8, 8] });
 * ```
 */
export const plain8 = cifar('plain8', 8, true);
/**
 * CIFAR plain net with 20 layers (ResNet-20 without shortcuts).
 *
 * @example
 * ```ts
 * const model = plain20(); // ResNet-20's layers, no shortcuts
 * ```
 */
export const plain20 = cifar('plain20', 20, true);
/**
 * CIFAR plain net with 32 layers.
 *
 * @example
 * ```ts
 * const model = plain32();
 * ```
 */
export const plain32 = cifar('plain32', 32, true);
/**
 * CIFAR plain net with 44 layers.
 *
 * @example
 * ```ts
 * const model = plain44();
 * ```
 */
export const plain44 = cifar('plain44', 44, true);
/**
 * CIFAR plain net with 56 layers.
 *
 * @example
 * ```ts
 * const model = plain56(); // trains worse than plain20: the degradation problem
 * ```
 */
export const plain56 = cifar('plain56', 56, true);
/**
 * CIFAR plain net with 110 layers.
 *
 * @example
 * ```ts
 * const model = plain110();
 * ```
 */
export const plain110 = cifar('plain110', 110, true);

/**
 * DenseNet-121 (Huang et al. 2017), torchvision layout; 7,978,856 parameters.
 *
 * @example
 * ```ts
 * const model = densenet121({ numClasses: 10 });
 * ```
 */
export const densenet121 = densenet('densenet121', residual.densenet121);
/**
 * DenseNet-161 (k = 48), torchvision layout.
 *
 * @example
 * ```ts
 * const model = densenet161();
 * ```
 */
export const densenet161 = densenet('densenet161', residual.densenet161);
/**
 * DenseNet-169, torchvision layout.
 *
 * @example
 * ```ts
 * const model = densenet169();
 * ```
 */
export const densenet169 = densenet('densenet169', residual.densenet169);
/**
 * DenseNet-201, torchvision layout.
 *
 * @example
 * ```ts
 * const model = densenet201();
 * ```
 */
export const densenet201 = densenet('densenet201', residual.densenet201);
/**
 * DenseNet-BC (L = 100, k = 12) for CIFAR.
 *
 * @example
 * ```ts
 * const model = densenetBC100(); // CIFAR, 32×32×3 → 10 logits
 * ```
 */
export const densenetBC100 = densenet('densenetBC100', residual.densenetBC100);
