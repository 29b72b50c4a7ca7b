/**
 * Recipes of the degradation experiment.
 *
 * `he2015` is the paper's CIFAR-10 recipe (He et al. 2015, section 4.2): batch
 * 128, lr 0.1 divided by 10 at 32k and 48k iterations, stop at 64k, weight
 * decay 1e-4, momentum 0.9, pad-4 crop + flip, widths 16/32/64, the 50k/10k
 * split. Meant for a GPU machine (about 164 epochs of 391 iterations).
 *
 * `quick` must finish on a 2-core CPU in a few minutes and still show the
 * effect honestly: it shrinks the data, the widths and the epochs, and keeps
 * what the effect needs (depth 20 vs 56, BatchNorm, SGD with momentum, weight
 * decay, and a linear warmup: without it ResNet-56 stalls too in a short run;
 * see DESIGN.md and tools/degradation_ref.py for the PyTorch reference runs).
 */
import { type Recipe } from './types.js';

/** Names of the presets. */
export const PRESETS = ['quick', 'he2015'] as const;
/** A preset name. */
export type PresetName = (typeof PRESETS)[number];

/** The four models of the experiment, in the paper's order. */
export const DEGRADATION_MODELS = ['plain20', 'plain56', 'resnet20', 'resnet56'];

/** The recipe and default data of each preset. */
export function preset(name: PresetName): { recipe: Recipe; data: string } {
  if (name === 'he2015') {
    return {
      data: 'cifar10:data/cifar-10-batches-bin',
      recipe: {
        epochs: 164,
        maxSteps: 64000,
        batchSize: 128,
        lr: 0.1,
        schedule: 'step',
        milestones: [32000, 48000],
        milestoneEpochs: [],
        warmupEpochs: 0,
        momentum: 0.9,
        nesterov: false,
        weightDecay: 1e-4,
        augment: true,
        trainSize: 0,
        testSize: 0,
        widths: [16, 32, 64],
      },
    };
  }
  return {
    data: 'mnist',
    recipe: {
      epochs: 4,
      maxSteps: 0,
      batchSize: 32,
      lr: 0.05,
      schedule: 'cosine',
      milestones: [],
      milestoneEpochs: [],
      warmupEpochs: 1,
      momentum: 0.9,
      nesterov: false,
      weightDecay: 1e-4,
      augment: false,
      trainSize: 4000,
      testSize: 1000,
      widths: [8, 16, 32],
    },
  };
}
