/**
 * One function per model name. Entrypoints only pass data to a builder (timm
 * style); names are frozen once weights ship.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { buildCifarResNet } from './cifar.js';
import type { ModelOptions } from './options.js';
import { buildResNet } from './resnet.js';

/** ResNet-18 (basic blocks [2, 2, 2, 2]); 11,689,512 trainable parameters at 1000 classes. */
export const resnet18 = (opts?: ModelOptions): LayersModel => buildResNet({ block: 'basic', layers: [2, 2, 2, 2] }, opts, 'resnet18');
/** ResNet-34 (basic blocks [3, 4, 6, 3]); 21,797,672 trainable parameters. */
export const resnet34 = (opts?: ModelOptions): LayersModel => buildResNet({ block: 'basic', layers: [3, 4, 6, 3] }, opts, 'resnet34');
/** ResNet-50 (bottleneck blocks [3, 4, 6, 3]); 25,557,032 trainable parameters. */
export const resnet50 = (opts?: ModelOptions): LayersModel => buildResNet({ block: 'bottleneck', layers: [3, 4, 6, 3] }, opts, 'resnet50');
/** ResNet-101 (bottleneck blocks [3, 4, 23, 3]); 44,549,160 trainable parameters. */
export const resnet101 = (opts?: ModelOptions): LayersModel => buildResNet({ block: 'bottleneck', layers: [3, 4, 23, 3] }, opts, 'resnet101');
/** ResNet-152 (bottleneck blocks [3, 8, 36, 3]); 60,192,808 trainable parameters. */
export const resnet152 = (opts?: ModelOptions): LayersModel => buildResNet({ block: 'bottleneck', layers: [3, 8, 36, 3] }, opts, 'resnet152');
/** Wide ResNet-50-2 (Zagoruyko & Komodakis 2016, torchvision layout: 3×3 width doubled). */
export const wide_resnet50_2 = (opts?: ModelOptions): LayersModel =>
  buildResNet({ block: 'bottleneck', layers: [3, 4, 6, 3], baseWidth: 128 }, opts, 'wide_resnet50_2');
/** ResNeXt-50 32×4d (Xie et al. 2017): 32 groups of width 4 in the first stage. */
export const resnext50_32x4d = (opts?: ModelOptions): LayersModel =>
  buildResNet({ block: 'bottleneck', layers: [3, 4, 6, 3], groups: 32, baseWidth: 4 }, opts, 'resnext50_32x4d');

/** CIFAR ResNet-20 (n = 3; 0.27M parameters). */
export const resnet20 = (opts?: ModelOptions): LayersModel => buildCifarResNet(20, false, opts);
/** CIFAR ResNet-32 (n = 5; 0.46M parameters). */
export const resnet32 = (opts?: ModelOptions): LayersModel => buildCifarResNet(32, false, opts);
/** CIFAR ResNet-44 (n = 7; 0.66M parameters). */
export const resnet44 = (opts?: ModelOptions): LayersModel => buildCifarResNet(44, false, opts);
/** CIFAR ResNet-56 (n = 9; 0.85M parameters). */
export const resnet56 = (opts?: ModelOptions): LayersModel => buildCifarResNet(56, false, opts);
/** CIFAR ResNet-110 (n = 18; 1.7M parameters). */
export const resnet110 = (opts?: ModelOptions): LayersModel => buildCifarResNet(110, false, opts);
/** CIFAR ResNet-1202 (n = 200; 19.4M parameters). */
export const resnet1202 = (opts?: ModelOptions): LayersModel => buildCifarResNet(1202, false, opts);
/** CIFAR plain net with 20 layers (ResNet-20 without shortcuts). */
export const plain20 = (opts?: ModelOptions): LayersModel => buildCifarResNet(20, true, opts);
/** CIFAR plain net with 32 layers. */
export const plain32 = (opts?: ModelOptions): LayersModel => buildCifarResNet(32, true, opts);
/** CIFAR plain net with 44 layers. */
export const plain44 = (opts?: ModelOptions): LayersModel => buildCifarResNet(44, true, opts);
/** CIFAR plain net with 56 layers. */
export const plain56 = (opts?: ModelOptions): LayersModel => buildCifarResNet(56, true, opts);
/** CIFAR plain net with 110 layers. */
export const plain110 = (opts?: ModelOptions): LayersModel => buildCifarResNet(110, true, opts);
