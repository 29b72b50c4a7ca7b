// Losses and labelled batches shared by the gradient and lesion analyses.
import { argMax, cast, equal, losses, mean, oneHot, sub, scalar, tidy, type Scalar, type Tensor } from '@tensorflow/tfjs-core';

/** A labelled batch: inputs and labels (class ids `[n]` or one-hot `[n, classes]`). */
export interface Batch {
  /** Model input, e.g. `[n, 32, 32, 3]`. */
  x: Tensor;
  /** Class ids (int32 `[n]`) or one-hot / probability targets (`[n, classes]`). */
  y: Tensor;
}

/** A loss on the model's output (logits) and the batch labels; must return a scalar. */
export type LossFn = (logits: Tensor, labels: Tensor) => Scalar;

/** @internal Validates a batch against a model with `what` in the messages. */
export function checkBatch(batch: Batch, what: string): void {
  if (batch == null || batch.x == null || batch.y == null) {
    throw new Error(`${what}: batch must be { x: Tensor, y: Tensor } (y: class ids [n] or one-hot [n, classes])`);
  }
  if (batch.y.rank !== 1 && batch.y.rank !== 2) {
    throw new Error(`${what}: labels y must be class ids [n] or one-hot [n, classes], got rank ${batch.y.rank}`);
  }
  if (batch.x.shape[0] !== batch.y.shape[0]) {
    throw new Error(`${what}: x has ${batch.x.shape[0]} examples but y has ${batch.y.shape[0]}`);
  }
}

function targets(logits: Tensor, labels: Tensor): Tensor {
  if (labels.rank === 2) return labels;
  const classes = logits.shape[logits.rank - 1]!;
  return oneHot(cast(labels, 'int32'), classes);
}

/**
 * Mean softmax cross-entropy of logits against class ids or one-hot labels:
 * the default loss of the analyses (zoo models output logits, as torchvision).
 *
 * @example
 * ```ts
 * const logits = tf.tensor2d([[2, 0, 0], [0, 2, 0]]);
 * softmaxCrossEntropy(logits, tf.tensor1d([0, 1], 'int32')).dataSync()[0]; // 0.2395 = −ln(e² / (e² + 2))
 * ```
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor): Scalar {
  return tidy(() => losses.softmaxCrossEntropy(targets(logits, labels), logits) as Scalar);
}

/**
 * Fraction of examples whose arg-max logit is not the label (top-1 error).
 *
 * @example
 * ```ts
 * const logits = tf.tensor2d([[2, 0, 0], [0, 2, 0]]);
 * top1Error(logits, tf.tensor1d([0, 2], 'int32')).dataSync()[0]; // 0.5
 * ```
 */
export function top1Error(logits: Tensor, labels: Tensor): Scalar {
  return tidy(() => {
    const truth = labels.rank === 2 ? argMax(labels, -1) : cast(labels, 'int32');
    return sub(scalar(1), mean(cast(equal(argMax(logits, -1), truth), 'float32'))) as Scalar;
  });
}
