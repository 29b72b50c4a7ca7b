/**
 * Building zoo models for training: the input shape and class count come from
 * the data, the stage widths from the recipe, and the initial weights from the
 * seed (tfjs initialisers seed themselves from Math.random, which is seeded
 * for the duration of the build).
 */
import type * as tf from '@tensorflow/tfjs';
import { createModel, listModels } from '@resnet/zoo';
import { withSeededMathRandom } from './rng.js';

/** The options a run passes to `createModel` (recorded in checkpoints). */
export function modelOptions(shape: [number, number, number], numClasses: number, widths: number[] | undefined): Record<string, unknown> {
  const o: Record<string, unknown> = { inputShape: shape, numClasses };
  if (widths) o.widths = widths;
  return o;
}

/** Throws a clear error when `name` is not a zoo model. */
export function checkModelName(name: string): void {
  const known = listModels();
  if (!known.includes(name)) throw new Error(`unknown model '${name}'; known: ${known.join(', ')}`);
}

/** Whether a model name is one of the CIFAR family that takes stage widths. */
export function isCifarFamily(name: string): boolean {
  return /^(resnet|plain)(20|32|44|56|110|1202)$/.test(name);
}

/** Builds `name` with `options`, its weights drawn from `seed`. */
export function buildModel(name: string, options: Record<string, unknown>, seed: number): tf.LayersModel {
  checkModelName(name);
  return withSeededMathRandom(seed, () => createModel(name, options as Parameters<typeof createModel>[1]) as unknown as tf.LayersModel);
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
