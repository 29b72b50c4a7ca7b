// Highway figure of section 5: how the transform-gate bias decides whether a
// fresh highway stack transforms its input or carries it through.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { highwayDense } from '@resnet/residual';
import { withSeededMathRandom } from '@resnet/blocks';
import { HIGHWAY_BIASES, HIGHWAY_SETUP } from './setups.js';


/** One measurement: mean gate over all layers, and how much of the input survives. */
export interface HighwayPoint {
  bias: number;
  /** Mean transform gate T over layers, units and inputs. */
  meanGate: number;
  /** Mean cosine similarity between each input and the stack's output. */
  inputCosine: number;
}

/**
 * Builds a fresh (seeded) stack of `depth` dense highway layers with the given gate
 * bias and measures it on a seeded batch of standard-normal inputs.
 */
function measureHighway(bias: number): HighwayPoint {
  const { depth, width, batch, seed } = HIGHWAY_SETUP;
  const model = withSeededMathRandom(seed, () => {
    const inp = tfl.input({ shape: [width] });
    let x = inp;
    for (let i = 0; i < depth; i++) x = highwayDense(x, { gateBias: bias, name: `hw.${i}` });
    const m = tfl.model({ inputs: inp, outputs: x });
    const gates = Array.from({ length: depth }, (_, i) => m.getLayer(`hw.${i}.t`).output as tfl.SymbolicTensor);
    return tfl.model({ inputs: inp, outputs: [x, ...gates] });
  });
  try {
    const [meanGate, inputCosine] = tf.tidy(() => {
      const x = tf.randomNormal([batch, width], 0, 1, 'float32', seed);
      const [y, ...ts] = model.predict(x) as tf.Tensor[];
      const gate = tf.div(tf.addN(ts.map((t) => tf.mean(t))), depth);
      const cos = tf.mean(tf.div(tf.sum(tf.mul(x, y!), 1), tf.mul(tf.norm(x, 2, 1), tf.norm(y!, 2, 1))));
      return [gate.dataSync()[0]!, cos.dataSync()[0]!];
    });
    return { bias, meanGate: meanGate!, inputCosine: inputCosine! };
  } finally {
    model.dispose();
  }
}

/** The whole figure: every bias of {@link HIGHWAY_BIASES}. */
export function highwayFigure(): HighwayPoint[] {
  return HIGHWAY_BIASES.map(measureHighway);
}
