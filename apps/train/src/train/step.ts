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
  /**
   * Null when the update was applied; otherwise why it was not: the loss was
   * NaN/Inf, or the update would have made a weight, a momentum buffer or a
   * BatchNorm moving statistic NaN/Inf. A rejected step changes nothing.
   */
  rejected: null | 'loss' | 'update';
}

/** The trainable variables of a model, in a fixed order (checkpoints rely on it). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** The variables the forward pass itself changes: BatchNorm moving statistics. */
function statisticVariables(model: tf.LayersModel): tf.Variable[] {
  return model.nonTrainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * A scalar that is 0 when every element of `tensors` is finite and NaN
 * otherwise: x·0 is 0 for finite x and NaN for ±Infinity and NaN, and the sum
 * of zeros cannot overflow (a plain sum of large finite weights could). One
 * concatenation, so three kernels in all rather than two per tensor.
 */
export function nonFiniteProbe(tensors: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => (tensors.length === 0 ? tf.scalar(0) : tf.concat(tensors.map((t) => t.reshape([-1]))).mul(0).sum<tf.Scalar>()));
}

/** Options of {@link trainStep}. */
export interface StepOptions {
  /**
   * Check the update before applying it, and restore the BatchNorm statistics
   * when a step is rejected (default true). Only the guard's cost measurement
   * (tools/bench-guard.ts) turns it off: then, as before the guard existed,
   * only the loss is checked and a rejected step leaves the moved statistics.
   */
  guard?: boolean;
}

/**
 * Forward in training mode, softmax cross-entropy, gradients of every trainable
 * weight, then the SGD update — accepted only when the loss and every value it
 * would write (weights; BatchNorm moving statistics, which the forward pass
 * already moved) are finite. A rejected step restores the moving statistics and
 * leaves the weights and momentum buffers untouched, so the model is exactly as
 * before it. (Momentum buffers need no check of their own: w − lr·buf is
 * non-finite whenever buf is, lr = 0 included, as 0·Inf is NaN.) Reads back
 * asynchronously: the webgpu backend cannot read synchronously in Node.
 */
export async function trainStep(
  model: tf.LayersModel,
  vars: tf.Variable[],
  sgd: Sgd,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  numClasses: number,
  lr: number,
  opts: StepOptions = {},
): Promise<StepResult> {
  const guard = opts.guard !== false;
  const stats = statisticVariables(model);
  // The forward pass assigns new tensors to these variables; the clones keep the current values.
  const before = guard ? stats.map((v) => tf.clone(v)) : [];
  let wrongT: tf.Tensor | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(images, { training: true }) as tf.Tensor2D;
    wrongT = tf.keep(logits.argMax(-1).notEqual(labels).sum());
    const oneHot = tf.oneHot(labels, numClasses);
    return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
  }, vars);
  const proposal = sgd.propose(vars, vars.map((v) => grads[v.name]!), lr);
  // One read-back for the loss, the error count and the guard.
  const readout = tf.tidy(() =>
    tf.stack([value, (wrongT as unknown as tf.Tensor).cast('float32'), guard ? nonFiniteProbe([...proposal.weights, ...stats]) : tf.scalar(0)]),
  );
  const [loss, wrong, probe] = Array.from(await readout.data()) as [number, number, number];
  const rejected = !Number.isFinite(loss) ? 'loss' : probe !== 0 ? 'update' : null;
  if (rejected) {
    sgd.discard(proposal);
    if (guard) stats.forEach((v, i) => v.assign(before[i]!));
  } else {
    sgd.commit(vars, proposal);
  }
  tf.dispose([readout, value, wrongT as unknown as tf.Tensor, ...before]);
  tf.dispose(grads);
  return { loss, wrong, rejected };
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
