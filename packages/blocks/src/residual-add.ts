import {
  add,
  floor,
  mul,
  randomUniform,
  scalar,
  serialization,
  tidy,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape, type SymbolicTensor } from '@tensorflow/tfjs-layers';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;



/** Arguments of {@link ResidualAdd}. */
export interface ResidualAddArgs {
  /**
   * Multiplier of the residual branch; 1 by default. A plain mutable number, not
   * a weight: set `layer.gate = 0` on a built model to lesion the block (the next
   * `predict` sees it). Saved in the layer config.
   */
  gate?: number;
  /**
   * ReZero (Bachlechner et al. 2020): add one trainable scalar weight `alpha`,
   * initialised to 0, that multiplies the branch, so the block starts as the
   * identity and learns how much of the branch to let through.
   */
  rezero?: boolean;
  /**
   * Stochastic depth (Huang et al. 2016), as timm's `drop_path`: in training only,
   * each sample's branch is dropped with this probability and the kept ones are
   * scaled by `1 / (1 - dropPathRate)`. In `[0, 1)`; 0 (off) by default.
   * Inference is deterministic.
   */
  dropPathRate?: number;
  /** Layer name (the block builders use `<prefix>.add`). */
  name?: string;
  /** Whether the ReZero weight is trainable (default true). */
  trainable?: boolean;
}

/**
 * The residual junction: called on `[shortcut, branch]` (in that order) it
 * returns `shortcut + gate * alpha * mask * branch`, where `alpha` is the ReZero
 * weight (1 unless `rezero`) and `mask` the per-sample stochastic-depth draw
 * (1 at inference). Every block in this package ends in one, which is how
 * analysis tools find the residual junctions of a model.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [8, 8, 16] });
 * const branch = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
 * const junction = new ResidualAdd({ name: 'block.add' });
 * const y = junction.apply([x, branch]) as tf.SymbolicTensor; // x + branch
 * junction.gate = 0; // a lesion: the block now passes exactly its shortcut
 * ```
 */
export class ResidualAdd extends layers.Layer {
  /** Name under which the class is registered for serialization. */
  static className = 'ResidualAdd';
  /** Branch multiplier (1 = normal, 0 = lesioned); see {@link ResidualAddArgs.gate}. */
  gate: number;
  /** Whether this junction carries a trainable ReZero scalar. */
  readonly rezero: boolean;
  /** Stochastic-depth drop probability used in training. */
  readonly dropPathRate: number;
  private alpha: LayerVariable | null = null;

  /** Creates the junction; see {@link ResidualAddArgs}. */
  constructor(args: ResidualAddArgs = {}) {
    const { gate, rezero, dropPathRate, ...layerArgs } = args;
    super(layerArgs as LayerArgs);
    this.gate = gate ?? 1;
    if (typeof this.gate !== 'number' || !Number.isFinite(this.gate)) {
      throw new Error(`ResidualAdd: gate must be a finite number, got ${String(gate)}`);
    }
    this.rezero = rezero ?? false;
    this.dropPathRate = dropPathRate ?? 0;
    if (!(this.dropPathRate >= 0 && this.dropPathRate < 1)) {
      throw new Error(`ResidualAdd: dropPathRate must be in [0, 1), got ${String(dropPathRate)}`);
    }
    this.supportsMasking = false;
  }

  /** Checks that shortcut and branch have the same shape and creates the ReZero weight. */
  override build(inputShape: Shape | Shape[]): void {
    const [a, b] = splitShapes(inputShape, this.name);
    if (a.length !== b.length || a.some((d, i) => i > 0 && d != null && b[i] != null && d !== b[i])) {
      throw new Error(
        `ResidualAdd '${this.name}': shortcut shape [${a.map(String).join(', ')}] and branch shape ` +
          `[${b.map(String).join(', ')}] must match (use a projection or zero-pad shortcut when they differ)`,
      );
    }
    if (this.rezero) {
      this.alpha = this.addWeight('alpha', [], 'float32', initializers.zeros(), undefined, true);
    }
    this.built = true;
  }

  /** Output shape: the shortcut's shape. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return splitShapes(inputShape, this.name)[0];
  }

  /** Computes `shortcut + gate * alpha * mask * branch`. */
  override call(inputs: Tensor | Tensor[], kwargs: { [key: string]: unknown }): Tensor {
    return tidy(() => {
      if (!Array.isArray(inputs) || inputs.length !== 2) {
        throw new Error(`ResidualAdd '${this.name}': expects [shortcut, branch], got ${describe(inputs)}`);
      }
      const [shortcut, branch] = inputs as [Tensor, Tensor];
      let y = branch;
      if (this.alpha) y = mul(y, this.alpha.read());
      if (this.gate !== 1) y = mul(y, scalar(this.gate));
      const training = kwargs?.training === true;
      if (training && this.dropPathRate > 0) {
        const keep = 1 - this.dropPathRate;
        // One Bernoulli(keep) draw per sample, broadcast over the other axes.
        const maskShape = [branch.shape[0]!, ...branch.shape.slice(1).map(() => 1)];
        const mask = floor(add(randomUniform(maskShape), scalar(keep)));
        y = mul(y, mul(mask, scalar(1 / keep)));
      }
      return add(shortcut, y);
    });
  }

  /** Serializable configuration (includes the current `gate`). */
  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      gate: this.gate,
      rezero: this.rezero,
      dropPathRate: this.dropPathRate,
    };
  }
}
serialization.registerClass(ResidualAdd);

/**
 * Creates a {@link ResidualAdd} junction. Apply it to `[shortcut, branch]`:
 * `residualAdd({ name: 'layer1.0.add' }).apply([x, f]) as SymbolicTensor`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [64] });
 * const f = tf.layers.dense({ units: 64 }).apply(x) as tf.SymbolicTensor;
 * const y = residualAdd({ rezero: true, name: 'res.add' }).apply([x, f]) as tf.SymbolicTensor; // x + alpha * f, alpha from 0
 * ```
 */
export function residualAdd(args: ResidualAddArgs = {}): ResidualAdd {
  return new ResidualAdd(args);
}

function splitShapes(inputShape: Shape | Shape[], name: string): [Shape, Shape] {
  if (!Array.isArray(inputShape[0]) || inputShape.length !== 2) {
    throw new Error(`ResidualAdd '${name}': expects two inputs [shortcut, branch], got shape ${JSON.stringify(inputShape)}`);
  }
  return inputShape as [Shape, Shape];
}

function describe(inputs: unknown): string {
  return Array.isArray(inputs) ? `${inputs.length} tensors` : 'a single tensor';
}

/** @internal Symbolic-tensor helper used by the block builders. */
export function applyResidualAdd(shortcut: SymbolicTensor, branch: SymbolicTensor, args: ResidualAddArgs): SymbolicTensor {
  return residualAdd(args).apply([shortcut, branch]) as SymbolicTensor;
}
