import { randomNormal, serialization, type DataType, type Tensor } from '@tensorflow/tfjs-core';
import { initializers } from '@tensorflow/tfjs-layers';
import type { Initializer } from './initializer-util.js';

// tfjs-layers checks `instanceof Initializer` but does not export the class;
// reach it through a built-in initializer's prototype chain.
const InitializerBase = Object.getPrototypeOf(initializers.zeros().constructor) as abstract new () => Initializer;

/** Arguments of {@link KaimingNormal}. */
export interface KaimingNormalArgs {
  /**
   * Which fan sets the variance: `'fanOut'` (torchvision's ResNet default,
   * `kaiming_normal_(mode='fan_out')`) or `'fanIn'`. Default `'fanOut'`.
   */
  mode?: 'fanIn' | 'fanOut';
  /** Gain of the following non-linearity; `sqrt(2)` (ReLU) by default. */
  gain?: number;
  /** Optional seed for reproducible initialisation. */
  seed?: number;
}

/**
 * He / Kaiming normal initialiser with PyTorch's semantics: an untruncated
 * normal with `std = gain / sqrt(fan)`.
 *
 * Why not `tf.initializers.heNormal` or `varianceScaling`: in tfjs 4.22 their
 * `'normal'` distribution draws from a normal truncated at 2σ without the
 * 0.8796 correction, so the realised std is about 12% below `sqrt(2/fan)`; and
 * `heNormal` uses fan-in. torchvision's ResNets use fan-out and an untruncated
 * normal, which this reproduces. Fans follow PyTorch for an HWIO conv kernel
 * `[kh, kw, in/groups, out]`: fanIn = `kh·kw·in/groups`, fanOut = `kh·kw·out`.
 *
 * @example
 * ```ts
 * const conv = tf.layers.conv2d({ filters: 64, kernelSize: 3, kernelInitializer: new KaimingNormal({ mode: 'fanOut' }) });
 * const w = new KaimingNormal({ seed: 1 }).apply([3, 3, 16, 32]); // std sqrt(2 / (3·3·32))
 * ```
 */
export class KaimingNormal extends InitializerBase {
  /** Name under which the class is registered for serialization. */
  static className = 'KaimingNormal';
  /** Fan used for the variance. */
  readonly mode: 'fanIn' | 'fanOut';
  /** Multiplier of `1/sqrt(fan)`. */
  readonly gain: number;
  /** Seed, if one was given. */
  readonly seed?: number;

  /** Creates the initialiser; see {@link KaimingNormalArgs}. */
  constructor(args: KaimingNormalArgs = {}) {
    super();
    const mode = args.mode ?? 'fanOut';
    if (mode !== 'fanIn' && mode !== 'fanOut') {
      throw new Error(`KaimingNormal: mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
    }
    const gain = args.gain ?? Math.SQRT2;
    if (!(gain > 0) || !Number.isFinite(gain)) {
      throw new Error(`KaimingNormal: gain must be a positive finite number, got ${gain}`);
    }
    this.mode = mode;
    this.gain = gain;
    if (args.seed != null) this.seed = args.seed;
  }

  /** Draws a tensor of `shape`. */
  override apply(shape: number[], dtype?: DataType): Tensor {
    const fan = computeFan(shape, this.mode);
    const std = this.gain / Math.sqrt(Math.max(1, fan));
    return randomNormal(shape, 0, std, (dtype ?? 'float32') as 'float32', this.seed);
  }

  /** Serializable configuration. */
  override getConfig(): serialization.ConfigDict {
    const config: serialization.ConfigDict = { mode: this.mode, gain: this.gain };
    if (this.seed != null) config.seed = this.seed;
    return config;
  }
}
// The base class is typed loosely above; at runtime it carries Serializable.fromConfig.
serialization.registerClass(KaimingNormal as unknown as serialization.SerializableConstructor<serialization.Serializable>);

/** PyTorch's `_calculate_fan_in_and_fan_out` for tfjs layouts (HWIO kernels, [in, out] dense). */
function computeFan(shape: number[], mode: 'fanIn' | 'fanOut'): number {
  if (shape.length < 2) {
    throw new Error(`KaimingNormal: needs a weight of rank >= 2, got shape [${shape.join(', ')}]`);
  }
  const inDim = shape[shape.length - 2]!;
  const outDim = shape[shape.length - 1]!;
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return mode === 'fanIn' ? inDim * receptive : outDim * receptive;
}
