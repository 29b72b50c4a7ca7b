// The lesion study of section 4 (Veit et al. 2016) on the main thread's backend,
// via @resnet/analysis lesionStudy: ResNet blocks are deleted by switching their
// residual branch off (gate 0, shortcut kept); plain blocks, which have no
// shortcut to fall back on, are cut out of the graph (input wired to whatever
// read their output; only shape-preserving blocks can go).
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { lesionStudy } from '@resnet/analysis';
import { loadMnistModels, loadTestDigits, toInput } from './mnist-model.js';

/** One deleted block. */
export interface LesionRow {
  name: string;
  downsampling: boolean;
  error: number;
}

/** The study of one model. */
export interface LesionResult {
  method: 'gate' | 'skip';
  baselineError: number;
  blocks: LesionRow[];
}

/** Deletes each eligible block of `model` in turn and measures the top-1 error on (x, labels). */
export async function lesions(model: LayersModel, x: tf.Tensor4D, labels: tf.Tensor1D): Promise<LesionResult> {
  const r = await lesionStudy(model, { x, y: labels }, { batchSize: 250 });
  return { method: r.method, baselineError: r.baselineError, blocks: r.blocks.map((b) => ({ name: b.name, downsampling: b.downsampling, error: b.error })) };
}

/** Both models' studies on the shipped digits, and what they were trained with. */
export interface LesionFigure {
  resnet: LesionResult;
  plain: LesionResult;
  count: number;
  trainedWith: string;
}

/** Loads the shipped models and digits from `base` and studies both models. */
export async function lesionFigure(base: string): Promise<LesionFigure> {
  const [models, digits] = await Promise.all([loadMnistModels(base), loadTestDigits(base)]);
  const x = toInput(digits.images, models.meta);
  const labels = tf.tensor1d(digits.labels, 'int32');
  try {
    return {
      resnet: await lesions(models.resnet, x, labels),
      plain: await lesions(models.plain!, x, labels),
      count: digits.count,
      trainedWith: models.meta.trainedWith,
    };
  } finally {
    tf.dispose([x, labels]);
    models.resnet.dispose();
    models.plain!.dispose();
  }
}
