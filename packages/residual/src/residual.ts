import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { ResidualAdd } from '@resnet/blocks';

/** Options of {@link residual}: the `ResidualAdd` junction's own options. */
export interface ResidualArgs {
  /**
   * ReZero (Bachlechner et al. 2020): multiply the branch by a trainable scalar that starts
   * at 0, so the block is the identity at init. Default false.
   */
  rezero?: boolean;
  /** Stochastic depth: drop the whole branch per sample with this probability in training. Default 0. */
  dropPathRate?: number;
  /** Name of the junction layer. */
  name?: string;
}

/**
 * The generic residual connection `x + F(x)` for any branch `F`, through `@resnet/blocks`'
 * `ResidualAdd` junction so lesion studies and analysis tools find it; `rezero` and
 * `dropPathRate` give ReZero and stochastic depth.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [64] });
 * const y = residual(x, (t) => tf.layers.dense({ units: 64 }).apply(t) as tf.SymbolicTensor, { rezero: true, name: 'res.add' });
 * ```
 */
export function residual(x: SymbolicTensor, branch: (x: SymbolicTensor) => SymbolicTensor, args: ResidualArgs = {}): SymbolicTensor {
  const y = branch(x);
  return new ResidualAdd({ rezero: args.rezero, dropPathRate: args.dropPathRate, name: args.name }).apply([x, y]) as SymbolicTensor;
}
