// Helpers for this package's tests only (not exported from index.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';

/**
 * Asserts that `loaded` (a model rebuilt from `original`'s model.json, with its
 * weights) predicts exactly what `original` does on `x`, and that predicting
 * leaves no tensor behind.
 */
export function expectSamePredictions(original: LayersModel, loaded: LayersModel, x: tf.Tensor | tf.Tensor[]): void {
  const before = tf.memory().numTensors;
  const a = original.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  tf.dispose([a, b]);
  expect(tf.memory().numTensors).toBe(before);
}
