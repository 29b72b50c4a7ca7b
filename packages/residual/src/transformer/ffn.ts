import { layers } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkPositiveInt, checkRange, type InitializerLike } from '@resnet/blocks';
import { join } from '../internal/names.js';

/** Explicit names of the feed-forward layers (PyTorch's TransformerEncoderLayer uses 'linear1', 'dropout', 'linear2'). */
export interface FeedForwardNames {
  /** The first (expanding) linear. */
  linear1?: string;
  /** The second (projecting) linear. */
  linear2?: string;
  /** The dropout between them. */
  dropout?: string;
}

/** Options of {@link feedForward}. */
export interface FeedForwardArgs {
  /** Inner width dFF (4·d in the original Transformer). */
  dFF: number;
  /** Inner activation. Default 'relu' (PyTorch's TransformerEncoderLayer default). */
  activation?: 'relu' | 'gelu' | 'gelu_new' | 'swish';
  /** Dropout between the two linears, in training only (PyTorch's `dropout` inside the FFN). Default 0. */
  dropout?: number;
  /** Kernel initializer of both linears. Default 'glorotUniform'. */
  kernelInitializer?: InitializerLike;
  /** Explicit layer names, overriding the `<name>.…` defaults. */
  names?: FeedForwardNames;
  /** Module path used when `names` is not given: `<name>.linear1`, `<name>.linear2`. */
  name?: string;
}

/**
 * The position-wise feed-forward sublayer `W₂·act(W₁x + b₁) + b₂`, applied to the last
 * axis of `[batch, seq, d]`. Parameters: `2·d·dFF + d + dFF`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [16, 64] });
 * const y = feedForward(x, { dFF: 256, activation: 'gelu', name: 'ffn' }); // [null, 16, 64]; 2·64·256 + 64 + 256 params
 * ```
 */
export function feedForward(x: SymbolicTensor, args: FeedForwardArgs): SymbolicTensor {
  checkPositiveInt(args.dFF, 'dFF');
  const d = x.shape[x.shape.length - 1];
  if (d == null) throw new Error(`feedForward needs a known last dimension; got ${JSON.stringify(x.shape)}`);
  const rate = args.dropout ?? 0;
  checkRange(rate, 'dropout', 0, 1, true);
  const kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
  let y = layers
    .dense({ units: args.dFF, activation: args.activation ?? 'relu', kernelInitializer, name: args.names?.linear1 ?? join(args.name, 'linear1') })
    .apply(x) as SymbolicTensor;
  if (rate > 0) y = layers.dropout({ rate, name: args.names?.dropout ?? join(args.name, 'dropout') }).apply(y) as SymbolicTensor;
  return layers.dense({ units: d, kernelInitializer, name: args.names?.linear2 ?? join(args.name, 'linear2') }).apply(y) as SymbolicTensor;
}
