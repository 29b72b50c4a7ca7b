/**
 * One training iteration with BatchNorm in training mode (batch statistics,
 * moving averages updated), and the evaluation pass in inference mode.
 */
import * as tf from '@tensorflow/tfjs';
import { type Sgd } from './sgd.js';

/** What one iteration measured. */
export interface StepResult {
  /** Mean cross-entropy of the batch. */
  loss: number;
  /** Misclassified images of the batch (training-mode forward pass). */
  wrong: number;
  /** False when the loss was NaN/Inf; the update was then not applied. */
  finite: boolean;
}

/** The trainable variables of a model, in a fixed order (checkpoints rely on it). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * Forward in training mode, softmax cross-entropy, gradients of every trainable
 * weight, then the SGD update, unless the loss is not finite: a NaN step is
 * never applied, so the weights stay those of the last good iteration. Reads
 * back asynchronously: the webgpu backend cannot read synchronously in Node.
 */
export async function trainStep(
  model: tf.LayersModel,
  vars: tf.Variable[],
  sgd: Sgd,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  numClasses: number,
  lr: number,
): Promise<StepResult> {
  let wrongT: tf.Tensor | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(images, { training: true }) as tf.Tensor2D;
    wrongT = tf.keep(logits.argMax(-1).notEqual(labels).sum());
    const oneHot = tf.oneHot(labels, numClasses);
    return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
  }, vars);
  const [lossValue, wrongValue] = await Promise.all([value.data(), (wrongT as unknown as tf.Tensor).data()]);
  const loss = lossValue[0]!;
  const wrong = wrongValue[0]!;
  const finite = Number.isFinite(loss);
  if (finite) sgd.step(vars, vars.map((v) => grads[v.name]!), lr);
  value.dispose();
  (wrongT as unknown as tf.Tensor).dispose();
  tf.dispose(grads);
  return { loss, wrong, finite };
}

/** Error rate and mean loss of `model` in inference mode over NHWC `images`. */
export async function evaluate(
  model: tf.LayersModel,
  images: Float32Array,
  labels: Uint8Array,
  shape: [number, number, number],
  batchSize = 250,
): Promise<{ error: number; loss: number }> {
  const count = labels.length;
  if (count === 0) return { error: NaN, loss: NaN };
  const size = shape[0] * shape[1] * shape[2];
  let wrong = 0;
  let lossSum = 0;
  for (let at = 0; at < count; at += batchSize) {
    const n = Math.min(batchSize, count - at);
    const counts = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(at * size, (at + n) * size), [n, ...shape]);
      const y = tf.tensor1d(Int32Array.from(labels.subarray(at, at + n)), 'int32');
      const logits = model.apply(x, { training: false }) as tf.Tensor2D;
      const outClasses = logits.shape[1]!;
      const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(y, outClasses), logits, undefined, undefined, tf.Reduction.SUM);
      return tf.stack([logits.argMax(-1).notEqual(y).sum().toFloat(), ce]);
    });
    const [w, l] = await counts.data();
    counts.dispose();
    wrong += w!;
    lossSum += l!;
  }
  return { error: wrong / count, loss: lossSum / count };
}
