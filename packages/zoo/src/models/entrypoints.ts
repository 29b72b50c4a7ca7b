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

/** ResNet-18 (basic blocks [2, 2, 2, 2]); 11,689,512 trainable parameters at 1000 classes. */
export const resnet18 = imagenet('resnet18', { block: 'basic', layers: [2, 2, 2, 2] });
/** ResNet-34 (basic blocks [3, 4, 6, 3]); 21,797,672 trainable parameters. */
export const resnet34 = imagenet('resnet34', { block: 'basic', layers: [3, 4, 6, 3] });
/** ResNet-50 (bottleneck blocks [3, 4, 6, 3]); 25,557,032 trainable parameters. */
export const resnet50 = imagenet('resnet50', { block: 'bottleneck', layers: [3, 4, 6, 3] });
/** ResNet-101 (bottleneck blocks [3, 4, 23, 3]); 44,549,160 trainable parameters. */
export const resnet101 = imagenet('resnet101', { block: 'bottleneck', layers: [3, 4, 23, 3] });
/** ResNet-152 (bottleneck blocks [3, 8, 36, 3]); 60,192,808 trainable parameters. */
export const resnet152 = imagenet('resnet152', { block: 'bottleneck', layers: [3, 8, 36, 3] });
/** Wide ResNet-50-2 (Zagoruyko & Komodakis 2016, torchvision layout: 3×3 width doubled). */
export const wide_resnet50_2 = imagenet('wide_resnet50_2', { block: 'bottleneck', layers: [3, 4, 6, 3], baseWidth: 128 });
/** ResNeXt-50 32×4d (Xie et al. 2017): 32 groups of width 4 in the first stage. */
export const resnext50_32x4d = imagenet('resnext50_32x4d', { block: 'bottleneck', layers: [3, 4, 6, 3], groups: 32, baseWidth: 4 });

/** CIFAR ResNet-8 (n = 1; 0.08M parameters): the smallest of the family, for quick runs and tests. */
export const resnet8 = cifar('resnet8', 8);
/** CIFAR ResNet-20 (n = 3; 0.27M parameters). */
export const resnet20 = cifar('resnet20', 20);
/** CIFAR ResNet-32 (n = 5; 0.46M parameters). */
export const resnet32 = cifar('resnet32', 32);
/** CIFAR ResNet-44 (n = 7; 0.66M parameters). */
export const resnet44 = cifar('resnet44', 44);
/** CIFAR ResNet-56 (n = 9; 0.85M parameters). */
export const resnet56 = cifar('resnet56', 56);
/** CIFAR ResNet-110 (n = 18; 1.7M parameters). */
export const resnet110 = cifar('resnet110', 110);
/** CIFAR ResNet-1202 (n = 200; 19.4M parameters). */
export const resnet1202 = cifar('resnet1202', 1202);
/** CIFAR plain net with 8 layers (ResNet-8 without shortcuts). */
export const plain8 = cifar('plain8', 8, true);
/** CIFAR plain net with 20 layers (ResNet-20 without shortcuts). */
export const plain20 = cifar('plain20', 20, true);
/** CIFAR plain net with 32 layers. */
export const plain32 = cifar('plain32', 32, true);
/** CIFAR plain net with 44 layers. */
export const plain44 = cifar('plain44', 44, true);
/** CIFAR plain net with 56 layers. */
export const plain56 = cifar('plain56', 56, true);
/** CIFAR plain net with 110 layers. */
export const plain110 = cifar('plain110', 110, true);

/** DenseNet-121 (Huang et al. 2017), torchvision layout; 7,978,856 parameters. */
export const densenet121 = densenet('densenet121', residual.densenet121);
/** DenseNet-161 (k = 48), torchvision layout. */
export const densenet161 = densenet('densenet161', residual.densenet161);
/** DenseNet-169, torchvision layout. */
export const densenet169 = densenet('densenet169', residual.densenet169);
/** DenseNet-201, torchvision layout. */
export const densenet201 = densenet('densenet201', residual.densenet201);
/** DenseNet-BC (L = 100, k = 12) for CIFAR. */
export const densenetBC100 = densenet('densenetBC100', residual.densenetBC100);
