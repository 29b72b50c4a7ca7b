// Highway figure of section 5: how the transform-gate bias decides whether a
// fresh highway stack transforms its input or carries it through.
import * as tf from '@tensorflow/tfjs';
import { highwayDense } from '@resnet/residual';
import { withSeed } from '../lib/seeded';

/** Gate biases measured (the slider's range). */
export const HIGHWAY_BIASES = Array.from({ length: 13 }, (_, i) => -4 + i * 0.5);
/** Depth and width of the measured stack, and the batch of random inputs. */
export const HIGHWAY_SETUP = { depth: 10, width: 32, batch: 256, seed: 11 } as const;

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
export function measureHighway(bias: number): HighwayPoint {
  const { depth, width, batch, seed } = HIGHWAY_SETUP;
  const model = withSeed(seed, () => {
    const inp = tf.input({ shape: [width] });
    let x = inp;
    const gates: tf.SymbolicTensor[] = [];
    for (let i = 0; i < depth; i++) {
      x = highwayDense(x, { gateBias: bias, name: `hw.${i}` });
    }
    const m = tf.model({ inputs: inp, outputs: x });
    for (let i = 0; i < depth; i++) gates.push(m.getLayer(`hw.${i}.t`).output as tf.SymbolicTensor);
    return tf.model({ inputs: inp, outputs: [x, ...gates] });
  });
  const out = tf.tidy(() => {
    const x = tf.randomNormal([batch, width], 0, 1, 'float32', seed);
    const [y, ...ts] = model.predict(x) as tf.Tensor[];
    const meanGate = tf.addN(ts.map((t) => t.mean())).div(depth);
    const cos = tf.sum(tf.mul(x, y!), 1).div(tf.norm(x, 2, 1).mul(tf.norm(y!, 2, 1))).mean();
    return [meanGate.dataSync()[0]!, cos.dataSync()[0]!];
  });
  model.dispose();
  return { bias, meanGate: out[0]!, inputCosine: out[1]! };
}
