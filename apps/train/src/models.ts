/**
 * Building models for training: the input shape and class count come from
 * the data, the stage widths from the recipe, and the initial weights from the
 * seed (tfjs initialisers seed themselves from Math.random, which is seeded
 * for the duration of the build). Every model comes from @resnet/zoo; CIFAR
 * nets take the recipe's stage widths.
 */
import type * as tf from '@tensorflow/tfjs';
import { countParams } from '@resnet/analysis';
import { buildCifarResNet, createModel, listModels } from '@resnet/zoo';
import { withSeededMathRandom } from './rng.js';

/** How a run's model is built (recorded in checkpoints). */
export interface ModelSpec {
  /** [height, width, channels]. */
  inputShape: [number, number, number];
  /** Classes. */
  numClasses: number;
  /** Stage widths, for the CIFAR family. */
  widths?: number[];
}

const CIFAR = /^(resnet|plain)(\d+)$/;

/** Whether a model name is one of the CIFAR family (resnet20…, plain20…). */
export function isCifarFamily(name: string): boolean {
  const m = CIFAR.exec(name);
  return m !== null && (Number(m[2]) - 2) % 6 === 0 && Number(m[2]) >= 8;
}

/** Throws a clear error when `name` is not a known model. */
export function checkModelName(name: string): void {
  const known = listModels();
  if (!known.includes(name) && !isCifarFamily(name)) throw new Error(`unknown model '${name}'; known: ${known.join(', ')}`);
}

/** Builds `name` for `spec`, its weights drawn from `seed`. */
export function buildModel(name: string, spec: ModelSpec, seed: number): tf.LayersModel {
  checkModelName(name);
  return withSeededMathRandom(seed, () => {
    if (isCifarFamily(name)) {
      // Any 6n + 2 depth, at the recipe's widths (the zoo registers only the paper's depths).
      const m = CIFAR.exec(name)!;
      const widths = spec.widths as [number, number, number] | undefined;
      return buildCifarResNet(Number(m[2]), m[1] === 'plain', { widths, inputShape: spec.inputShape, numClasses: spec.numClasses }) as unknown as tf.LayersModel;
    }
    return createModel(name, { inputShape: spec.inputShape, numClasses: spec.numClasses }) as unknown as tf.LayersModel;
  });
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
