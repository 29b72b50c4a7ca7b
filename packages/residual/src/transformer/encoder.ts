import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkPositiveInt } from '@resnet/blocks';
import { join } from '../internal/names.js';
import { MultiHeadSelfAttention } from './attention.js';
import type { AttentionInitializer } from './attention.js';
import { feedForward } from './ffn.js';
import { layerNorm, residualSublayer } from './sublayer.js';
import type { NormPlacement } from './sublayer.js';

/** Options of {@link transformerEncoderBlock}. */
export interface TransformerEncoderBlockArgs {
  /** Model width d; the input's last dimension must equal it. */
  dModel: number;
  /** Attention heads; must divide dModel. */
  heads: number;
  /** FFN inner width. */
  dFF: number;
  /** LayerNorm placement: 'pre' (Xiong et al. 2020) or 'post' (Vaswani et al. 2017). */
  norm: NormPlacement;
  /** Dropout on each sublayer output and inside the FFN, in training only. Default 0. */
  dropout?: number;
  /** Dropout on the attention weights. Default: `dropout`. */
  attentionDropout?: number;
  /** Causal self-attention mask. Default false. */
  causal?: boolean;
  /** Optional `[batch, seq]` key padding mask input (1 = token, 0 = padding). */
  mask?: SymbolicTensor;
  /** FFN activation. Default 'relu'. */
  activation?: 'relu' | 'gelu' | 'gelu_new' | 'swish';
  /** LayerNorm epsilon. Default 1e-5. */
  epsilon?: number;
  /** ReZero on both residual junctions. Default false. */
  rezero?: boolean;
  /** Stochastic depth on both residual junctions. Default 0. */
  dropPathRate?: number;
  /** Attention projection initializer. Default 'glorotUniform' (PyTorch's xavier_uniform_). */
  attentionInitializer?: AttentionInitializer;
  /**
   * Module path (PyTorch `TransformerEncoderLayer` names below it: `self_attn`, `linear1`,
   * `linear2`, `norm1`, `norm2`, `dropout1`, `dropout2`, and the junctions `add1`, `add2`).
   */
  name?: string;
}

/**
 * One transformer encoder layer: a self-attention sublayer and a feed-forward sublayer,
 * each wrapped by {@link residualSublayer} in the chosen LayerNorm placement. Parameters:
 * `(4d² + 4d) + (2·d·dFF + d + dFF) + 2·(2d)`, plus 2 ReZero scalars when `rezero`.
 *
 * @example
 * ```ts
 * const tokens = tf.input({ shape: [16, 64] });
 * const y = transformerEncoderBlock(tokens, { dModel: 64, heads: 4, dFF: 256, norm: 'post', name: 'layers.0' }); // PyTorch TransformerEncoderLayer
 * ```
 */
export function transformerEncoderBlock(x: SymbolicTensor, args: TransformerEncoderBlockArgs): SymbolicTensor {
  checkPositiveInt(args.dModel, 'dModel');
  checkPositiveInt(args.heads, 'heads');
  checkPositiveInt(args.dFF, 'dFF');
  const d = x.shape[x.shape.length - 1];
  if (x.shape.length !== 3 || d !== args.dModel) {
    throw new Error(`transformerEncoderBlock expects input [batch, seq, ${args.dModel}]; got ${JSON.stringify(x.shape)}`);
  }
  if (args.dModel % args.heads !== 0) {
    throw new Error(`dModel (${args.dModel}) must be divisible by heads (${args.heads})`);
  }
  const n = (child: string) => join(args.name, child);
  const dropout = args.dropout ?? 0;
  const common = { norm: args.norm, dropout, epsilon: args.epsilon, rezero: args.rezero, dropPathRate: args.dropPathRate };
  const attention = new MultiHeadSelfAttention({
    numHeads: args.heads,
    causal: args.causal,
    dropout: args.attentionDropout ?? dropout,
    kernelInitializer: args.attentionInitializer,
    name: n('self_attn'),
  });
  let y = residualSublayer(
    x,
    (t) => attention.apply(args.mask ? [t, args.mask] : t) as SymbolicTensor,
    { ...common, normName: n('norm1'), dropoutName: n('dropout1'), addName: n('add1') },
  );
  y = residualSublayer(
    y,
    (t) => feedForward(t, { dFF: args.dFF, activation: args.activation, dropout, name: args.name }),
    { ...common, normName: n('norm2'), dropoutName: n('dropout2'), addName: n('add2') },
  );
  return y;
}

/** Options of {@link transformerEncoder}: a block's options plus the depth. */
export interface TransformerEncoderArgs extends TransformerEncoderBlockArgs {
  /** Number of encoder layers. */
  depth: number;
}

/**
 * A stack of `depth` encoder layers named `<name>.layers.<i>` (PyTorch `TransformerEncoder`).
 * Pre-norm stacks end with a final LayerNorm `<name>.norm`, without which the output would be
 * an un-normalized sum of every sublayer's contribution; post-norm layers already end in one.
 *
 * @example
 * ```ts
 * const tokens = tf.input({ shape: [16, 64] });
 * const y = transformerEncoder(tokens, { depth: 4, dModel: 64, heads: 4, dFF: 256, norm: 'pre', name: 'encoder' });
 * const encoder = tf.model({ inputs: tokens, outputs: y });
 * ```
 */
export function transformerEncoder(x: SymbolicTensor, args: TransformerEncoderArgs): SymbolicTensor {
  checkPositiveInt(args.depth, 'depth');
  let y = x;
  for (let i = 0; i < args.depth; i++) {
    y = transformerEncoderBlock(y, { ...args, name: join(args.name, `layers.${i}`) });
  }
  return args.norm === 'pre' ? layerNorm(y, { epsilon: args.epsilon, name: join(args.name, 'norm') }) : y;
}
