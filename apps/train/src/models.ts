/**
 * Building models for training: the input shape and class count come from
 * the data, the stage widths from the recipe, and the initial weights from the
 * seed (tfjs initialisers seed themselves from Math.random, which is seeded
 * for the duration of the build). Zoo models are built by @resnet/zoo; CIFAR
 * nets at other widths or input sizes than the zoo's by ./cifar-net.ts.
 */
import type * as tf from '@tensorflow/tfjs';
import { createModel, listModels } from '@resnet/zoo';
import { buildCifarNet } from './cifar-net.js';
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
      const widths = spec.widths ?? [16, 32, 64];
      const paperSize = widths.join(',') === '16,32,64' && spec.inputShape[0] >= 32 && spec.inputShape[1] >= 32;
      if (!paperSize || !listModels().includes(name)) {
        const m = CIFAR.exec(name)!;
        return buildCifarNet(Number(m[2]), m[1] === 'resnet', { widths, inputShape: spec.inputShape, numClasses: spec.numClasses });
      }
    }
    return createModel(name, { inputShape: spec.inputShape, numClasses: spec.numClasses }) as unknown as tf.LayersModel;
  });
}

/** Trainable parameters (PyTorch's convention: BatchNorm moving statistics excluded). */
export function trainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

/** Depth and residual-ness from a CIFAR-family name (`plain56` → 56, false). */
export function describeModel(name: string): { depth: number; residual: boolean } {
  const m = /(\d+)$/.exec(name);
  return { depth: m ? Number(m[1]) : 0, residual: !name.startsWith('plain') };
}
