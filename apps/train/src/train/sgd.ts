/**
 * SGD with momentum, Nesterov and weight decay, with PyTorch's exact update:
 *
 *   d = g + wd·w;  buf = μ·buf + d;  step = nesterov ? d + μ·buf : buf;  w -= lr·step
 *
 * tfjs' MomentumOptimizer has no weight decay and bakes the learning rate into a
 * constant at construction, so a per-iteration schedule needs this instead.
 * The momentum buffers are plain tensors that checkpoints save and restore.
 */
import * as tf from '@tensorflow/tfjs';

/** SGD hyper-parameters other than the learning rate. */
export interface SgdOptions {
  /** Momentum μ (0 = plain SGD). */
  momentum: number;
  /** Nesterov momentum (PyTorch's formulation). */
  nesterov: boolean;
  /** L2 weight decay added to every gradient, as PyTorch's `weight_decay` (applies to all trainable weights). */
  weightDecay: number;
}

/** Updated weights and momentum buffers, computed but not yet applied (see {@link Sgd.propose}). */
export interface SgdProposal {
  /** The new value of each variable, in order. */
  weights: tf.Tensor[];
  /** The new momentum buffers (null without momentum). */
  buffers: tf.Tensor[] | null;
}

/** One momentum buffer per trainable variable, in the order of the variable list. */
export class Sgd {
  private buffers: tf.Tensor[] | null = null;

  constructor(readonly opts: SgdOptions) {}

  /** Applies one update to `vars` from `grads` (same order); disposes nothing it does not own. */
  step(vars: tf.Variable[], grads: tf.Tensor[], lr: number): void {
    this.commit(vars, this.propose(vars, grads, lr));
  }

  /**
   * Computes the update without applying it, so the caller can check it first:
   * nothing changes until {@link commit}; {@link discard} drops it.
   */
  propose(vars: tf.Variable[], grads: tf.Tensor[], lr: number): SgdProposal {
    const { momentum, nesterov, weightDecay } = this.opts;
    if (grads.length !== vars.length) throw new Error(`sgd: ${grads.length} gradients for ${vars.length} variables`);
    const buffers: tf.Tensor[] = [];
    const weights = tf.tidy(() =>
      vars.map((v, i) => {
        let d = grads[i]!;
        if (weightDecay !== 0) d = d.add(v.mul(weightDecay));
        if (momentum > 0) {
          const buf = this.buffers ? this.buffers[i]!.mul(momentum).add(d) : d.clone();
          buffers.push(tf.keep(buf));
          d = nesterov ? d.add(buf.mul(momentum)) : buf;
        }
        return v.sub(d.mul(lr));
      }),
    );
    return { weights, buffers: momentum > 0 ? buffers : null };
  }

  /** Applies a proposal: assigns the weights and takes ownership of the buffers. */
  commit(vars: tf.Variable[], p: SgdProposal): void {
    vars.forEach((v, i) => v.assign(p.weights[i]!));
    tf.dispose(p.weights);
    if (p.buffers) {
      this.buffers?.forEach((b) => b.dispose());
      this.buffers = p.buffers;
    }
  }

  /** Frees a proposal that will not be applied. */
  discard(p: SgdProposal): void {
    tf.dispose(p.weights);
    tf.dispose(p.buffers ?? []);
  }

  /** The momentum buffers (null before the first step or without momentum). */
  state(): tf.Tensor[] | null {
    return this.buffers;
  }

  /** Restores buffers saved by {@link state}; shapes must match the variables. */
  setState(buffers: tf.Tensor[] | null, vars: tf.Variable[]): void {
    if (buffers) {
      if (buffers.length !== vars.length) {
        throw new Error(`optimizer state has ${buffers.length} momentum buffers but the model has ${vars.length} trainable weights`);
      }
      buffers.forEach((b, i) => {
        if (!tf.util.arraysEqual(b.shape, vars[i]!.shape)) {
          throw new Error(`optimizer buffer ${i} has shape [${b.shape}] but weight '${vars[i]!.name}' has [${vars[i]!.shape}]`);
        }
      });
    }
    this.dispose();
    this.buffers = buffers;
  }

  /** Frees the buffers. */
  dispose(): void {
    this.buffers?.forEach((b) => b.dispose());
    this.buffers = null;
  }
}
