// Per-layer gradient norms at initialisation (section 1) as plain tfjs code, so
// the e2e test runs the same measurement in Node and compares.
import * as tf from '@tensorflow/tfjs-core';
import { createModel } from '@resnet/zoo';
import { gradientFlow } from '@resnet/analysis';
import { withSeed } from './seeded';
import { GRADIENT_KINDS, GRADIENT_SETUP } from './setups';

/** One of {@link GRADIENT_KINDS}. */
export type GradientKind = (typeof GRADIENT_KINDS)[number];

/** Gradient norms of one network. */
export interface GradientProfile {
  kind: GradientKind;
  /** Where each norm was taken: the stem's output, then each block's output, input side first. */
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
  const model = withSeed(seed, () => createModel(name, kind === 'resnet-zero-gamma' ? { zeroInitResidual: true } : {}));
  const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', seed);
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32');
  try {
    const r = await gradientFlow(model, { x, y });
    // The last layer of the stem and of each block is that block's output (after the add and ReLU).
    const last = new Map<string, { name: string; outputGradNorm: number }>();
    for (const l of r.layers) if (l.block !== 'head') last.set(l.block, l);
    const outs = [...last.values()];
    const norms = outs.map((l) => l.outputGradNorm);
    return { kind, points: outs.map((l) => l.name), norms, inputGradNorm: r.inputGradNorm, ratio: norms[0]! / norms[norms.length - 1]! };
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
  }
}
