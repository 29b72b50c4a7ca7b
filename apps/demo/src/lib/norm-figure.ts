// Pre-norm vs post-norm (section 5): Xiong et al. (2020), Fig. 3 — at
// initialisation, the gradient of each layer's FFN weights grows towards the
// output in a post-norm transformer and does not in a pre-norm one. Plain tfjs
// (no DOM) so the e2e test can run the same measurement in Node.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { transformerEncoder, type NormPlacement } from '@resnet/residual';
import { withSeededMathRandom } from '@resnet/blocks';
import { NORM_SETUP } from './setups.js';


/** Both stacks' per-layer FFN gradient norms, input side first. */
export interface NormFigure {
  post: number[];
  pre: number[];
}

/** The whole figure. */
export function normFigure(): NormFigure {
  return { post: ffnGradNorms('post'), pre: ffnGradNorms('pre') };
}

/** ‖dLoss/dW‖ of `encoder.layers.<i>.linear2`'s kernel for each layer i (one seeded init and batch). */
export function ffnGradNorms(norm: NormPlacement): number[] {
  const { depth, dModel, heads, seq, batch, classes, seed } = NORM_SETUP;
  const m = withSeededMathRandom(seed, () => {
    const x = tfl.input({ shape: [seq, dModel] });
    const h = transformerEncoder(x, { depth, dModel, heads, dFF: 4 * dModel, norm, name: 'encoder' });
    const logits = tfl.layers.dense({ units: classes, name: 'head' }).apply(h) as tfl.SymbolicTensor;
    return tfl.model({ inputs: x, outputs: logits });
  });
  try {
    const kernels = Array.from({ length: depth }, (_, i) => m.getLayer(`encoder.layers.${i}.linear2`).trainableWeights[0]!.read() as tf.Variable);
    return tf.tidy(() => {
      const xs = tf.randomNormal([batch, seq, dModel], 0, 1, 'float32', seed);
      const labels = tf.oneHot(tf.tensor1d(Array.from({ length: batch * seq }, (_, i) => (i * 7) % classes), 'int32'), classes);
      const { grads } = tf.variableGrads(() => {
        const out = tf.reshape(m.apply(xs, { training: true }) as tf.Tensor, [batch * seq, classes]);
        return tf.losses.softmaxCrossEntropy(labels, out) as tf.Scalar;
      }, kernels);
      return kernels.map((k) => tf.norm(grads[k.name]!).dataSync()[0]!);
    });
  } finally {
    m.dispose();
  }
}
