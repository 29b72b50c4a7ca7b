// Per-layer gradient norms at initialisation (section 1) as plain tfjs code, so
// the e2e test runs the same measurement in Node and compares.
import * as tf from '@tensorflow/tfjs-core';
import { buildModel } from '@resnet/zoo';
import { gradientFlow } from '@resnet/analysis';
import { withSeed } from './seeded.js';
import { GRADIENT_KINDS, GRADIENT_SETUP } from './setups.js';

/** One of {@link GRADIENT_KINDS}. */
export type GradientKind = (typeof GRADIENT_KINDS)[number];

/** Gradient norms of one network. */
export interface GradientProfile {
  kind: GradientKind;
  /** Where each norm was taken: the stem, then each block's sum before its ReLU, input side first. */
  points: string[];
  /** ‖dLoss/d(activation)‖ at each of `points`: the gradient in the residual stream. */
  norms: number[];
  /** ‖dLoss/d(input image)‖. */
  inputGradNorm: number;
  /** Gradient at the stem's output over the gradient at the last block's output. */
  ratio: number;
}

/**
 * Builds a fresh CIFAR network of the given depth (seeded He init; BatchNorm in
 * training mode, as in a first training step) and measures one batch of
 * standard-normal images with labels 0..9.
 */
export async function gradientProfile(depth: number, kind: GradientKind): Promise<GradientProfile> {
  const { batch, seed } = GRADIENT_SETUP;
  const name = kind === 'plain' ? `plain${depth}` : `resnet${depth}`;
  const model = withSeed(seed, () => buildModel(name, kind === 'resnet-zero-gamma' ? { zeroInitResidual: true } : {}));
  const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', seed);
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32');
  try {
    const r = await gradientFlow(model, { x, y });
    // Each block's sum before its final ReLU: the junction ('layer1.0.add') of a
    // residual block, the last BatchNorm ('layer1.0.bn2') of a plain one; 'bn1' for
    // the stem. Measuring after the ReLU would mix in its mask: positions where
    // the activation is 0 pass no gradient back, whatever the architecture.
    const byName = new Map(r.layers.map((l) => [l.name, l]));
    const blocks = [...new Set(r.layers.map((l) => l.block))].filter((b) => b !== 'stem' && b !== 'head');
    const outs = [byName.get('bn1'), ...blocks.map((b) => byName.get(`${b}.add`) ?? byName.get(`${b}.bn2`))];
    if (outs.some((l) => !l)) throw new Error(`${name}: expected layers 'bn1' and '<block>.add' or '<block>.bn2' in every block`);
    const norms = outs.map((l) => l!.outputGradNorm);
    return { kind, points: outs.map((l) => l!.name), norms, inputGradNorm: r.inputGradNorm, ratio: norms[0]! / norms[norms.length - 1]! };
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
  }
}
