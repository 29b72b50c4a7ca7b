/**
 * Building models for training: the input shape and class count come from
 * the data, the stage widths from the recipe, and the initial weights from the
 * seed (tfjs initialisers seed themselves from Math.random, which is seeded
 * for the duration of the build). Every model comes from @resnet/zoo; its
 * CIFAR family (resnet8…, plain8…) takes the recipe's stage widths.
 */
import type * as tf from '@tensorflow/tfjs';
import { countParams } from '@resnet/analysis';
import { buildModel, modelFamily } from '@resnet/zoo';
import { withSeededMathRandom } from '@resnet/blocks';

/** How a run's model is built (recorded in checkpoints). */
export interface ModelSpec {
  /** [height, width, channels]. */
  inputShape: [number, number, number];
  /** Classes. */
  numClasses: number;
  /** Stage widths, for the CIFAR family. */
  widths?: number[];
}

/** Whether `name` is one of the zoo's CIFAR family; throws the zoo's error (listing every model) for unknown names. */
export function isCifarFamily(name: string): boolean {
  return modelFamily(name) === 'cifar';
}

/** Throws a clear error when `name` is not a known model. */
export function checkModelName(name: string): void {
  modelFamily(name);
}

/** Builds `name` for `spec`, its weights drawn from `seed`. */
export function buildSeededModel(name: string, spec: ModelSpec, seed: number): tf.LayersModel {
  const widths = isCifarFamily(name) ? { widths: spec.widths as [number, number, number] | undefined } : {};
  return withSeededMathRandom(seed, () => buildModel(name, { inputShape: spec.inputShape, numClasses: spec.numClasses, ...widths }));
}

/** Trainable parameters (PyTorch's convention: BatchNorm moving statistics excluded). */
export function trainableParams(model: tf.LayersModel): number {
  return countParams(model as never, { convention: 'torch' }).trainable;
}

/** Depth and residual-ness from a CIFAR-family name (`plain56` → 56, false). */
export function describeModel(name: string): { depth: number; residual: boolean } {
  const m = /(\d+)$/.exec(name);
  return { depth: m ? Number(m[1]) : 0, residual: !name.startsWith('plain') };
}
