/**
 * The DenseNets of @resnet/residual behind the zoo's registry and options, so
 * `createModel('densenet121')` and the torchvision loader work the same way as
 * for ResNets (their layers already carry torchvision names).
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { DenseNetOptions } from '@resnet/residual';
import { takeFeatures } from './features.js';
import { validateOptions, type ModelOptions } from './options.js';

const NOT_FOR_DENSENET = ['variant', 'shortcut', 'zeroInitResidual', 'dropPathRate'] as const;

/** Builds DenseNet `name` with one of @resnet/residual's builders from the zoo's options. */
export function buildDenseNet(build: (o: DenseNetOptions) => LayersModel, opts: ModelOptions = {}, name = 'densenet'): LayersModel {
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
  if (opts.kernelInitializer !== undefined) o.kernelInitializer = opts.kernelInitializer;
  const m = build(o);
  return opts.features ? takeFeatures(m, opts.features, opts.name ?? name) : m;
}
