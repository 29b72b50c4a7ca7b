/** Shapes shared by the training loop, checkpoints and reports. */

/** A complete training recipe: everything that decides the numbers of a run. */
export interface Recipe {
  /** Epochs to train. */
  epochs: number;
  /** Stop after this many iterations even inside an epoch (the paper's "stop at 64k"); 0 = no limit. */
  maxSteps: number;
  /** Images per batch. */
  batchSize: number;
  /** Peak learning rate. */
  lr: number;
  /** Learning-rate schedule after warmup. */
  schedule: 'step' | 'cosine' | 'constant';
  /** Iterations at which a step schedule divides the rate by 10 (the paper's 32k, 48k). */
  milestones: number[];
  /** Epochs at which a step schedule divides the rate by 10 (added to `milestones`). */
  milestoneEpochs: number[];
  /** Epochs of linear warmup (fractional allowed). */
  warmupEpochs: number;
  /** SGD momentum. */
  momentum: number;
  /** Nesterov momentum. */
  nesterov: boolean;
  /** L2 weight decay (PyTorch SGD `weight_decay`). */
  weightDecay: number;
  /** Pad-4 random crop (+ horizontal flip where the data allows it). */
  augment: boolean;
  /** Training images used (0 = all of the split). */
  trainSize: number;
  /** Test images used (0 = all of the split). */
  testSize: number;
  /** Stage widths of the CIFAR ResNets (paper: 16, 32, 64). */
  widths: number[];
}

/** Metrics of one epoch. */
export interface EpochMetrics {
  /** 1-based epoch. */
  epoch: number;
  /** Mean training loss over the epoch's batches (training mode, as the batches were seen). */
  trainLoss: number;
  /** Fraction of training images misclassified during the epoch (training mode, running). */
  trainError: number;
  /** Fraction of test images misclassified (inference mode, after the epoch). */
  testError: number;
  /** Wall-clock seconds of the epoch's training and evaluation. */
  seconds: number;
}

/** One model's result, as in results.json. */
export interface RunResult {
  /** Zoo model name. */
  model: string;
  /** Whether the model has residual shortcuts. */
  residual: boolean;
  /** Weighted layers (the number in the name). */
  depth: number;
  /** Trainable parameters (PyTorch convention: BN moving statistics not counted). */
  params: number;
  /** Per-epoch metrics. */
  epochs: EpochMetrics[];
  /** Last epoch's errors. */
  final: { trainError: number; testError: number };
}
