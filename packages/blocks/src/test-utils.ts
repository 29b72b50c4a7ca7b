// Helpers for this package's tests only (not exported from index.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Deterministic values in [-1, 1): a sine of the index, shifted per tensor. */
export function formula(n: number, offset: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(offset * 1.7 + i * 0.731);
  return out;
}

/**
 * Sets every weight of `model` to formula values: kernels scaled by 1/sqrt(fan-in)
 * so activations stay O(1), BN variances in [0.5, 1.5], means and betas small.
 */
export function setFormulaWeights(model: LayersModel): void {
  // Write each variable directly: model.weights and setWeights order weights differently.
  model.weights.forEach((w, k) => {
    const shape = w.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    const v = formula(n, k + 1);
    // originalName: `name` gets a _N suffix when an earlier model used the same layer names.
    const name = w.originalName;
    let t: tf.Tensor;
    if (name.endsWith('moving_variance')) t = tf.tensor(v.map((x) => 1 + 0.5 * x), shape);
    else if (name.endsWith('gamma')) t = tf.tensor(v.map((x) => 1 + 0.3 * x), shape);
    else if (name.endsWith('kernel')) {
      const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      t = tf.tensor(v.map((x) => (x * 1.5) / Math.sqrt(fanIn)), shape);
    } else t = tf.tensor(v.map((x) => 0.2 * x), shape);
    w.write(t);
    t.dispose();
  });
}

/** Sum of the element counts of the model's weights whose names end with `suffix`. */
export function countWeights(model: LayersModel, suffix: string): number {
  return model.weights.filter((w) => w.originalName.endsWith(suffix)).reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}
