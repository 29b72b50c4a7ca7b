/** Shapes shared by the training loop, checkpoints and reports (the recipe is in recipe.ts). */

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
