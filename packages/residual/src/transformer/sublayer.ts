import { layers } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { residual } from '../residual.js';
import type { ResidualArgs } from '../residual.js';
import { checkRange } from '@resnet/blocks';
import { join } from '../internal/names.js';

/** Where the LayerNorm sits relative to the residual add (Xiong et al. 2020). */
export type NormPlacement = 'pre' | 'post';

/** Options of {@link residualSublayer}. */
export interface ResidualSublayerArgs extends Omit<ResidualArgs, 'name'> {
  /** 'pre': `x + Dropout(F(LN(x)))`; 'post': `LN(x + Dropout(F(x)))`. */
  norm: NormPlacement;
  /** Dropout on the sublayer output before the add, in training only. Default 0. */
  dropout?: number;
  /** LayerNorm epsilon. Default 1e-5 (PyTorch's; tfjs' own default is 1e-3). */
  epsilon?: number;
  /** Name of the LayerNorm layer. Default `<name>.norm`. */
  normName?: string;
  /** Name of the dropout layer. Default `<name>.dropout`. */
  dropoutName?: string;
  /** Name of the ResidualAdd junction. Default `<name>.add`. */
  addName?: string;
  /** Module path used for the defaults above. */
  name?: string;
}

/**
 * A LayerNorm over the last axis with PyTorch's epsilon (1e-5) unless told otherwise.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [16, 64] });
 * const y = layerNorm(x, { name: 'norm1' }); // epsilon 1e-5, as torch.nn.LayerNorm
 * ```
 */
export function layerNorm(x: SymbolicTensor, args: { epsilon?: number; name?: string } = {}): SymbolicTensor {
  return layers.layerNormalization({ axis: -1, epsilon: args.epsilon ?? 1e-5, name: args.name }).apply(x) as SymbolicTensor;
}

/**
 * Wraps a transformer sublayer `F` in its residual connection, in either placement of the
 * LayerNorm: pre-norm `x + Dropout(F(LN(x)))` or post-norm `LN(x + Dropout(F(x)))`
 * (the original Transformer). The add is a `ResidualAdd`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [16, 64] });
 * const y = residualSublayer(x, (t) => feedForward(t, { dFF: 256 }), { norm: 'pre', dropout: 0.1, name: 'ffn' }); // x + Dropout(FFN(LN(x)))
 * ```
 */
export function residualSublayer(
  x: SymbolicTensor,
  fn: (x: SymbolicTensor) => SymbolicTensor,
  args: ResidualSublayerArgs,
): SymbolicTensor {
  if (args.norm !== 'pre' && args.norm !== 'post') throw new Error(`norm must be 'pre' or 'post'; got '${String(args.norm)}'`);
  const rate = args.dropout ?? 0;
  checkRange(rate, 'dropout', 0, 1, true);
  const normName = args.normName ?? join(args.name, 'norm');
  const drop = (t: SymbolicTensor) =>
    rate > 0 ? (layers.dropout({ rate, name: args.dropoutName ?? join(args.name, 'dropout') }).apply(t) as SymbolicTensor) : t;
  const add = { rezero: args.rezero, dropPathRate: args.dropPathRate, name: args.addName ?? join(args.name, 'add') };
  if (args.norm === 'pre') return residual(x, (t) => drop(fn(layerNorm(t, { epsilon: args.epsilon, name: normName }))), add);
  return layerNorm(residual(x, (t) => drop(fn(t)), add), { epsilon: args.epsilon, name: normName });
}
