import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { checkPositiveInt, checkRange, resolveInitializer } from '@resnet/blocks';

/**
 * Initializers the attention layer can (de)serialize by name (its config stores the
 * identifier); @resnet/blocks' `resolveInitializer` makes them.
 */
export type AttentionInitializer = 'glorotUniform' | 'glorotNormal' | 'heNormal' | 'heUniform' | 'leCunNormal' | 'leCunUniform' | 'zeros' | 'ones';

/** Constructor arguments of {@link MultiHeadSelfAttention}. */
export interface MultiHeadSelfAttentionArgs {
  /** Number of heads h; the model width d must be divisible by it (head size d/h). */
  numHeads: number;
  /** Mask every key after the query's position (autoregressive attention). Default false. */
  causal?: boolean;
  /** Dropout on the attention weights, in training only. Default 0. */
  dropout?: number;
  /** Add biases to the four projections (PyTorch's default). Default true. */
  useBias?: boolean;
  /** Initializer of the four d x d projection kernels. Default 'glorotUniform' (PyTorch's xavier_uniform_). */
  kernelInitializer?: AttentionInitializer;
  /** Initializer of the biases. Default 'zeros' (as PyTorch). */
  biasInitializer?: AttentionInitializer;
  /** Layer name; builders pass a PyTorch-style path such as 'layers.0.self_attn'. */
  name?: string;
  /** Whether the weights are trainable. Default true. */
  trainable?: boolean;
}

/** Additive mask value: large enough that exp() underflows to 0 in float32, finite so no NaN. */
const NEG = -1e9;

/**
 * Multi-head scaled dot-product self-attention (Vaswani et al. 2017) as one tfjs layer with
 * its own weights: `softmax(QKᵀ/√(d/h) + mask)·V`, heads concatenated, then the output
 * projection. Parameters: `4·d² + 4·d` (Q, K, V and output projections with biases).
 *
 * Input `[batch, seq, d]`, or `[x, keyPaddingMask]` where the mask is `[batch, seq]` with 1
 * for real tokens and 0 for padding (padded keys get no attention; like PyTorch's
 * `key_padding_mask` with the opposite polarity, so a float mask can be fed directly).
 * Weights are `q_kernel [d, d]` (input-major, as tfjs Dense) and `q_bias [d]`, likewise
 * `k_`, `v_`, `out_`.
 *
 * @example
 * ```ts
 * const tokens = tf.input({ shape: [16, 64] });
 * const mask = tf.input({ shape: [16] }); // 1 = token, 0 = padding
 * const y = new MultiHeadSelfAttention({ numHeads: 4, name: 'self_attn' }).apply([tokens, mask]) as tf.SymbolicTensor; // [null, 16, 64]
 * ```
 */
export class MultiHeadSelfAttention extends layers.Layer {
  /** Name under which the class is registered for (de)serialization. */
  static className = 'MultiHeadSelfAttention';
  /** Number of heads. */
  readonly numHeads: number;
  /** Whether a causal (lower-triangular) mask is applied. */
  readonly causal: boolean;
  /** Attention-weight dropout rate (training only). */
  readonly dropout: number;
  /** Whether the projections have biases. */
  readonly useBias: boolean;
  private readonly kernelInit: AttentionInitializer;
  private readonly biasInit: AttentionInitializer;
  private w: Record<'q' | 'k' | 'v' | 'out', { kernel: LayerVariable; bias: LayerVariable | null }> | null = null;

  /** Creates the layer; weights are made on first call, when d is known. */
  constructor(args: MultiHeadSelfAttentionArgs) {
    super({ name: args.name, trainable: args.trainable });
    checkPositiveInt(args.numHeads, 'numHeads');
    this.numHeads = args.numHeads;
    this.causal = args.causal ?? false;
    this.dropout = args.dropout ?? 0;
    checkRange(this.dropout, 'dropout', 0, 1, true);
    this.useBias = args.useBias ?? true;
    this.kernelInit = args.kernelInitializer ?? 'glorotUniform';
    this.biasInit = args.biasInitializer ?? 'zeros';
    resolveInitializer(this.kernelInit, 'kernelInitializer');
    resolveInitializer(this.biasInit, 'biasInitializer');
  }

  private static split(inputShape: Shape | Shape[]): { x: Shape; mask: Shape | null } {
    if (Array.isArray(inputShape[0])) {
      const shapes = inputShape as Shape[];
      if (shapes.length !== 2) throw new Error(`MultiHeadSelfAttention takes x or [x, keyPaddingMask]; got ${shapes.length} inputs`);
      return { x: shapes[0]!, mask: shapes[1]! };
    }
    return { x: inputShape as Shape, mask: null };
  }

  /** Creates the Q, K, V and output projections for width d = the last input dimension. */
  override build(inputShape: Shape | Shape[]): void {
    const { x, mask } = MultiHeadSelfAttention.split(inputShape);
    const d = x[x.length - 1];
    if (x.length !== 3 || d == null) {
      throw new Error(`MultiHeadSelfAttention '${this.name}' expects input [batch, seq, d] with known d; got ${JSON.stringify(x)}`);
    }
    if (d % this.numHeads !== 0) {
      throw new Error(`MultiHeadSelfAttention '${this.name}': d = ${d} is not divisible by numHeads = ${this.numHeads}`);
    }
    if (mask && mask.length !== 2) {
      throw new Error(`MultiHeadSelfAttention '${this.name}': keyPaddingMask must be [batch, seq]; got ${JSON.stringify(mask)}`);
    }
    const proj = (p: string) => ({
      kernel: this.addWeight(`${p}_kernel`, [d, d], 'float32', resolveInitializer(this.kernelInit, 'kernelInitializer'), undefined, true),
      bias: this.useBias ? this.addWeight(`${p}_bias`, [d], 'float32', resolveInitializer(this.biasInit, 'biasInitializer'), undefined, true) : null,
    });
    this.w = { q: proj('q'), k: proj('k'), v: proj('v'), out: proj('out') };
    this.built = true;
  }

  /** Output shape equals the input x's shape. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return MultiHeadSelfAttention.split(inputShape).x;
  }

  /** Attention over `x` (`[batch, seq, d]`), optionally with a `[batch, seq]` key padding mask. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const [x, keyMask] = Array.isArray(inputs) ? [inputs[0]!, inputs[1]] : [inputs, undefined];
      const w = this.w!;
      const [b, n, d] = x.shape as [number, number, number];
      const h = this.numHeads;
      const dk = d / h;
      const flat = tf.reshape(x, [b * n, d]);
      const project = (p: { kernel: LayerVariable; bias: LayerVariable | null }, t: tf.Tensor) => {
        const y = tf.matMul(t as tf.Tensor2D, p.kernel.read() as tf.Tensor2D);
        return p.bias ? tf.add(y, p.bias.read()) : y;
      };
      // [b·n, d] → [b, h, n, dk]
      const heads = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [b, n, h, dk]), [0, 2, 1, 3]);
      const q = heads(project(w.q, flat));
      const k = heads(project(w.k, flat));
      const v = heads(project(w.v, flat));
      let scores: tf.Tensor = tf.div(tf.matMul(q as tf.Tensor4D, k as tf.Tensor4D, false, true), tf.scalar(Math.sqrt(dk)));
      if (this.causal) {
        // 1 on and below the diagonal (key j ≤ query i), 0 above → additive −∞ above.
        const allowed = tf.linalg.bandPart(tf.ones([n, n]), -1, 0);
        scores = tf.add(scores, tf.mul(tf.sub(1, allowed), NEG));
      }
      if (keyMask) {
        const m = tf.reshape(tf.cast(keyMask, 'float32'), [b, 1, 1, n]);
        scores = tf.add(scores, tf.mul(tf.sub(1, m), NEG));
      }
      let attn = tf.softmax(scores, -1);
      if (this.dropout > 0 && kwargs?.['training'] === true) attn = tf.dropout(attn, this.dropout);
      const ctx = tf.matMul(attn as tf.Tensor4D, v as tf.Tensor4D); // [b, h, n, dk]
      const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [b * n, d]);
      return tf.reshape(project(w.out, merged), [b, n, d]);
    });
  }

  /** Serializable configuration (weights are saved separately). */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      causal: this.causal,
      dropout: this.dropout,
      useBias: this.useBias,
      kernelInitializer: this.kernelInit,
      biasInitializer: this.biasInit,
    };
  }
}
tf.serialization.registerClass(MultiHeadSelfAttention);
