/** Turning logits into named top-K predictions. */
import * as tf from '@tensorflow/tfjs-core';
import { IMAGENET_CLASSES } from './labels.js';
import { checkPositiveInt } from '@resnet/blocks';

/** One prediction. */
export interface Prediction {
  /** Class index. */
  index: number;
  /** Class name. */
  label: string;
  /** Softmax probability. */
  probability: number;
  /** The raw logit. */
  logit: number;
}

/**
 * The `topK` most likely classes of each row of `logits` (`[n, classes]`, the
 * model's raw output), best first, with softmax probabilities (never NaN:
 * a row holding a non-finite logit is refused). Labels default
 * to the 1000 ImageNet classes. A tensor is read with `await data()`, so a GPU
 * backend is never blocked; the tensor is not disposed.
 *
 * @example
 * ```ts
 * const logits = createModel('resnet18').predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor;
 * const [top5] = await decodePredictions(logits, 5); // [{ index, label, probability, logit }, …] best first
 * ```
 */
export async function decodePredictions(logits: tf.Tensor | number[][], topK = 5, labels: readonly string[] = IMAGENET_CLASSES): Promise<Prediction[][]> {
  if (!(logits instanceof tf.Tensor)) return decodePredictionsSync(logits, topK, labels);
  if (logits.rank !== 2) throw new Error(`decodePredictions: logits must be a [batch, classes] tensor, got [${logits.shape.join(', ')}]`);
  const [n, classes] = logits.shape as [number, number];
  const flat = await logits.data();
  const rows = Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * classes, (i + 1) * classes)));
  return decodePredictionsSync(rows, topK, labels);
}

/**
 * {@link decodePredictions} for logits already read into numbers (e.g. from
 * `await logits.array()`); it takes no tensor, so it can never block a GPU.
 *
 * @example
 * ```ts
 * const [best] = decodePredictionsSync([[0.1, 2.5, -1]], 1, ['cat', 'dog', 'fish']); // [{ index: 1, label: 'dog', … }]
 * ```
 */
export function decodePredictionsSync(rows: number[][], topK = 5, labels: readonly string[] = IMAGENET_CLASSES): Prediction[][] {
  checkPositiveInt(topK, 'decodePredictions: topK');
  if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
    throw new Error('decodePredictions: logits must be a [batch, classes] tensor or number[][]');
  }
  return rows.map((row, r) => {
    if (row.length !== labels.length) {
      throw new Error(`decodePredictions: got ${row.length} classes but ${labels.length} labels; pass the labels of your classifier`);
    }
    // A NaN logit would give NaN probabilities, and sort anywhere: refuse it, never return one.
    const bad = row.filter((v) => !Number.isFinite(v)).length;
    if (bad) throw new Error(`decodePredictions: row ${r} holds ${bad} non-finite logits (NaN or ±Inf) of ${row.length}; the model's output is broken (non-finite weights or input?)`);
    const max = row.reduce((a, b) => (b > a ? b : a), -Infinity);
    const exp = row.map((v) => Math.exp(v - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    const order = row.map((_, i) => i).sort((a, b) => row[b]! - row[a]! || a - b);
    return order.slice(0, Math.min(topK, row.length)).map((i) => ({ index: i, label: labels[i]!, probability: exp[i]! / sum, logit: row[i]! }));
  });
}
