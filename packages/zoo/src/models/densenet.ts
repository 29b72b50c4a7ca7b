/**
 * The DenseNets of @resnet/residual behind the zoo's registry and options, so
 * `createModel('densenet121')` and the torchvision loader work the same way as
 * for ResNets (their layers already carry torchvision names).
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { densenet121, densenet161, densenet169, densenet201, densenetBC100, type DenseNetOptions } from '@resnet/residual';
import { takeFeatures } from './features.js';
import { validateOptions, type ModelOptions } from './options.js';

const NOT_FOR_DENSENET = ['variant', 'shortcut', 'zeroInitResidual', 'dropPathRate'] as const;

function adapt(name: string, build: (o: DenseNetOptions) => LayersModel): (opts?: ModelOptions) => LayersModel {
  return (opts: ModelOptions = {}) => {
    validateOptions(name, opts);
    const bad = NOT_FOR_DENSENET.filter((k) => opts[k] !== undefined);
    if (bad.length) {
      throw new Error(
        `${name}: option(s) ${bad.join(', ')} apply to ResNets only; DenseNets take numClasses, inputShape, includeTop, pooling, features, bnEpsilon, bnMomentum, kernelInitializer, name`,
      );
    }
    const o: DenseNetOptions = {};
    if (opts.numClasses !== undefined) o.numClasses = opts.numClasses;
    if (opts.includeTop !== undefined) o.includeTop = opts.includeTop;
    if (opts.pooling) o.pooling = opts.pooling;
    if (opts.features) [o.includeTop, o.pooling] = [false, undefined];
    if (opts.inputShape !== undefined) o.inputShape = opts.inputShape;
    if (opts.bnEpsilon !== undefined) o.bnEpsilon = opts.bnEpsilon;
    if (opts.bnMomentum !== undefined) o.bnMomentum = opts.bnMomentum;
    if (opts.kernelInitializer !== undefined) o.kernelInitializer = opts.kernelInitializer as DenseNetOptions['kernelInitializer'];
    const m = build(o);
    return opts.features ? takeFeatures(m, opts.features, opts.name ?? name) : m;
  };
}

/** DenseNet-121 (Huang et al. 2017), torchvision layout; 7,978,856 parameters. */
export const zooDensenet121 = adapt('densenet121', densenet121);
/** DenseNet-161 (k = 48), torchvision layout. */
export const zooDensenet161 = adapt('densenet161', densenet161);
/** DenseNet-169, torchvision layout. */
export const zooDensenet169 = adapt('densenet169', densenet169);
/** DenseNet-201, torchvision layout. */
export const zooDensenet201 = adapt('densenet201', densenet201);
/** DenseNet-BC (L = 100, k = 12) for CIFAR. */
export const zooDensenetBC100 = adapt('densenetBC100', densenetBC100);
