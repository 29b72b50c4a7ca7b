/**
 * Learning-rate schedules, evaluated per iteration (PyTorch's schedulers step
 * per epoch or per iteration; the paper's CIFAR recipe is per iteration: ÷10 at
 * 32k and 48k). Linear warmup ramps from lr/warmupSteps to lr over the first
 * `warmupSteps` iterations, then the main schedule runs over the rest.
 */

/** A schedule's definition, as stored in the recipe and checkpoint. */
export interface ScheduleSpec {
  /** 'step': multiply by `gamma` at each milestone; 'cosine': half-cosine to 0; 'constant'. */
  kind: 'step' | 'cosine' | 'constant';
  /** Peak learning rate. */
  lr: number;
  /** Total iterations of the run. */
  totalSteps: number;
  /** Linear warmup iterations (0 = none). */
  warmupSteps: number;
  /** Iterations at which a step schedule multiplies the rate by `gamma`. */
  milestones?: number[];
  /** Step factor (default 0.1). */
  gamma?: number;
}

/** Valid schedule names, for flag validation. */
export const SCHEDULES = ['step', 'cosine', 'constant'] as const;

/** The learning rate for iteration `step` (0-based). */
export function learningRate(s: ScheduleSpec, step: number): number {
  if (s.warmupSteps > 0 && step < s.warmupSteps) return (s.lr * (step + 1)) / s.warmupSteps;
  if (s.kind === 'constant') return s.lr;
  if (s.kind === 'step') {
    const passed = (s.milestones ?? []).filter((m) => step >= m).length;
    return s.lr * Math.pow(s.gamma ?? 0.1, passed);
  }
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const t = Math.min(1, (step - s.warmupSteps) / span);
  return 0.5 * s.lr * (1 + Math.cos(Math.PI * t));
}
