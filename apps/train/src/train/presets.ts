/**
 * Training recipes: the default of `resnet-train train`, and the presets of the
 * degradation experiment, each written as what it changes in the default.
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
 * see docs/architecture.md and tools/degradation_ref.py for the PyTorch reference runs).
 */
import { defaultRecipe, type Recipe } from './recipe.js';

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
      // 164 epochs of 391 iterations, capped at 64k; lr ÷ 10 at 32k and 48k.
      recipe: { ...defaultRecipe(), epochs: 164, maxSteps: 64000, schedule: 'step', milestones: [32000, 48000], augment: true },
    };
  }
  return {
    data: 'mnist',
    recipe: { ...defaultRecipe(), epochs: 4, batchSize: 32, lr: 0.05, warmupEpochs: 1, trainSize: 4000, testSize: 1000, widths: [8, 16, 32] },
  };
}
