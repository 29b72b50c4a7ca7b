/**
 * Test support: a tiny ResNet-8 (widths 4/8/8, 8×8 inputs) with momentum
 * buffers, and valid checkpoint states for it. Used by the checkpoint tests,
 * the checkpoint fuzzer and tools/fuzz.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { buildCifarResNet } from '@resnet/zoo';
import { Rng, withSeededMathRandom } from '@resnet/blocks';
import { saveCheckpoint } from '../train/checkpoint.js';
import { type CheckpointState } from '../train/checkpoint-state.js';
import { Sgd } from '../train/sgd.js';
import { trainableVariables } from '../train/step.js';
import { type Recipe } from '../train/recipe.js';

/** The recipe of the fixture's states: 48 images in batches of 16 (3 per epoch), 4 epochs. */
const TINY_RECIPE: Recipe = {
  epochs: 4, maxSteps: 0, batchSize: 16, lr: 0.05, schedule: 'cosine', milestones: [], milestoneEpochs: [], warmupEpochs: 0,
  momentum: 0.9, nesterov: false, weightDecay: 1e-4, augment: false, trainSize: 48, testSize: 16, widths: [4, 8, 8],
};

/** The fixture model, its weights drawn from `seed`. */
export function tinyModel(seed = 1): tf.LayersModel {
  return withSeededMathRandom(seed, () => buildCifarResNet(8, false, { widths: [4, 8, 8], inputShape: [8, 8, 3], numClasses: 10 })) as unknown as tf.LayersModel;
}

/** A valid state after `epoch` epochs (3 steps each) of {@link TINY_RECIPE}. */
export function tinyState(epoch: number, over: Partial<CheckpointState> = {}): CheckpointState {
  return {
    version: 2,
    model: { name: 'resnet8', options: { inputShape: [8, 8, 3], numClasses: 10, widths: [4, 8, 8] } },
    data: 'synthetic:8',
    recipe: TINY_RECIPE,
    seed: 1,
    epoch,
    step: 3 * epoch,
    rng: new Rng(epoch).state(),
    partial: null,
    metrics: Array.from({ length: epoch }, (_, i) => ({ epoch: i + 1, trainLoss: 2 - i / 10, trainError: 0.5, testError: 0.5, seconds: 1 })),
    complete: false,
    backend: 'cpu',
    ...over,
  };
}

/** Momentum buffers for `model`: one SGD step on random gradients; the caller disposes them. */
function tinyBuffers(model: tf.LayersModel): tf.Tensor[] {
  const vars = trainableVariables(model);
  const sgd = new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 0 });
  const grads = vars.map((v, i) => tf.randomNormal(v.shape, 0, 1, 'float32', i));
  const proposal = sgd.propose(vars, grads, 0);
  tf.dispose([...grads, ...proposal.weights]);
  return proposal.buffers!;
}

/** Saves a fixture checkpoint of `epoch` into `out` (model weights from `seed`). */
export async function saveTinyCheckpoint(out: string, epoch: number, seed = epoch): Promise<void> {
  const model = tinyModel(seed);
  const buffers = tinyBuffers(model);
  await saveCheckpoint(out, model, buffers, tinyState(epoch));
  tf.dispose(buffers);
  model.dispose();
}
