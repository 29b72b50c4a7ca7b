/** Swapping the classifier for another number of classes (timm's `reset_classifier`). */
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { linearInit } from '../models/head.js';

/**
 * A model with a new, freshly initialised classifier of `numClasses` outputs
 * (PyTorch's `nn.Linear` init, same layer name) on the features the old one
 * read — or, with `numClasses = 0`, those pooled features themselves. The
 * result shares every other layer (and its weights, and any freezing) with
 * `model`, whose old classifier is disposed: use the result from then on.
 *
 * @example
 * ```ts
 * const pets = replaceHead(createModel('resnet50'), 37); // a fresh 37-class fc on the pooled features
 * const features = replaceHead(createModel('resnet50'), 0); // [null, 2048]
 * ```
 */
export function replaceHead(model: LayersModel, numClasses: number): LayersModel {
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new Error(`replaceHead: numClasses must be a non-negative integer (0 removes the classifier), got ${numClasses}`);
  }
  if (model.outputLayers.length !== 1 || model.outputLayers[0]!.getClassName() !== 'Dense') {
    throw new Error(
      `replaceHead: model '${model.name}' does not end in one Dense classifier (its outputs: ${model.outputLayers.map((l) => `${l.name} (${l.getClassName()})`).join(', ')}); ` +
        'build it with includeTop: true',
    );
  }
  const old = model.outputLayers[0]!;
  const features = old.input as SymbolicTensor;
  let out = features;
  if (numClasses > 0) {
    const fanIn = features.shape[features.shape.length - 1] as number;
    out = tfl.layers.dense({ units: numClasses, name: old.name, kernelInitializer: linearInit(fanIn), biasInitializer: linearInit(fanIn) }).apply(features) as SymbolicTensor;
  }
  const next = tfl.model({ inputs: model.inputs, outputs: out, name: model.name });
  old.dispose();
  return next;
}
