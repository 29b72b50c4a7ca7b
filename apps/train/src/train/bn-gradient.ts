/**
 * A cheaper gradient for tfjs' FusedBatchNorm kernel, registered over the stock one.
 *
 * The stock gradient (tfjs-core gradients/FusedBatchNorm_grad.ts) tiles the
 * per-channel 1/sqrt(var+eps) up to the full activation shape for dx and forms
 * a separate full-size product for each of mean, variance and scale. Profiling
 * a CIFAR ResNet-20 training step on the wasm backend showed Tile alone as the
 * largest kernel time, above the convolutions. This version computes the same
 * five gradients from three full-size passes (x - mean, dy·(x - mean), and dx
 * as a broadcast multiply) plus two reductions, with the identical formulas:
 *
 *   dx = dy·g·r          d(offset) = Σdy          d(scale) = r·Σdy(x-μ)
 *   dμ = -g·r·Σdy        dσ² = -½·g·r³·Σdy(x-μ)    with r = 1/sqrt(σ²+ε)
 *
 * (sums over every axis but the channel one, g = scale or 1).
 */
import * as tf from '@tensorflow/tfjs';

const KERNEL = 'FusedBatchNorm';
let stock: tf.GradConfig | undefined;

/** The gradient config that {@link registerFastBatchNormGradient} installs. */
export const fastBatchNormGradConfig: tf.GradConfig = {
  kernelName: KERNEL,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
    const g = Array.isArray(dy) ? dy[0]! : dy;
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const eps = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
    const axes = tf.broadcast_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: tf.Tensor): tf.Tensor => (axes.length > 0 ? tf.sum(t, axes) : t);
    const shapeOf = (t: tf.Tensor, like: tf.Tensor): tf.Tensor => tf.reshape(t, like.shape);
    // Shared by several inputs' gradients; computed once here (the engine's
    // gradient scope frees them when backprop ends).
    const r = tf.rsqrt(tf.add(variance, tf.scalar(eps)));
    const gr = scale == null ? r : tf.mul(scale, r);
    const sumDy = reduce(g);
    const sumDyXmu = reduce(tf.mul(g, tf.sub(x, mean)));
    return {
      x: () => tf.reshape(tf.mul(g, gr), x.shape),
      mean: () => shapeOf(tf.neg(tf.mul(gr, sumDy)), mean),
      variance: () => shapeOf(tf.mul(tf.mul(tf.mul(gr, tf.square(r)), tf.scalar(-0.5)), sumDyXmu), mean),
      scale: () => shapeOf(tf.mul(r, sumDyXmu), mean),
      offset: () => shapeOf(sumDy, mean),
    };
  },
};

/** Installs the cheaper gradient (idempotent). */
export function registerFastBatchNormGradient(): void {
  if (stock === undefined) stock = tf.getGradient(KERNEL);
  tf.registerGradient(fastBatchNormGradConfig);
}

/** Puts the stock tfjs gradient back (for comparisons). */
export function restoreStockBatchNormGradient(): void {
  if (stock) tf.registerGradient(stock);
}
