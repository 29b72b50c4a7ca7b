/** Events the training loop emits; reporters turn them into bars, lines or JSON. */
import { type EpochMetrics } from './types.js';

/** One event of a training run. With `--json`, each is printed as one line. */
export type TrainEvent =
  | { type: 'start'; model: string; backend: string; device: string; params: number; epochs: number; trainImages: number; testImages: number; data: string }
  | { type: 'epochStart'; epoch: number; epochs: number; batches: number; startBatch: number }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number; accuracy: number; lr: number; imagesPerSecond: number; etaSeconds: number }
  | ({ type: 'epoch'; checkpoint: string } & EpochMetrics)
  | { type: 'interrupted'; epoch: number; batch: number; checkpoint: string }
  | { type: 'diverged'; reason: 'loss' | 'update'; epoch: number; batch: number; loss: number; lr: number; checkpoint: string | null; text: string }
  | { type: 'done'; status: string; out: string }
  | { type: 'message'; text: string };
