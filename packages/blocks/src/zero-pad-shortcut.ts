import { pad, reshape, serialization, slice, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import { checkPositiveInt } from './validate.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;


/** Arguments of {@link ZeroPadShortcut}. */
export interface ZeroPadShortcutArgs {
  /** Output channels; at least the input's channels. */
  filters: number;
  /** Spatial subsampling step (1 or 2). */
  strides?: number;
  /** Layer name. */
  name?: string;
}

/**
 * He et al. (2016) shortcut option A, parameter-free: keep every `strides`-th
 * pixel (`x[:, ::s, ::s, :]`) and pad the channel axis with zeros up to
 * `filters`, half before and half after (the extra one after when the
 * difference is odd). This is the layout of the widely used PyTorch CIFAR
 * ResNet (akamaster/pytorch_resnet_cifar10: `F.pad(x[:, :, ::2, ::2], (0, 0, 0,
 * 0, planes // 4, planes // 4))`), so its weights map one to one.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [32, 32, 16] });
 * const s = new ZeroPadShortcut({ filters: 32, strides: 2, name: 'layer2.0.shortcut' }).apply(x) as tf.SymbolicTensor; // [null, 16, 16, 32]
 * ```
 */
export class ZeroPadShortcut extends layers.Layer {
  /** Name under which the class is registered for serialization. */
  static className = 'ZeroPadShortcut';
  /** Output channels. */
  readonly filters: number;
  /** Subsampling step. */
  readonly strides: number;

  /** Creates the layer; see {@link ZeroPadShortcutArgs}. */
  constructor(args: ZeroPadShortcutArgs) {
    const { filters, strides, ...layerArgs } = args;
    super(layerArgs as LayerArgs);
    this.filters = checkPositiveInt(filters, 'ZeroPadShortcut: filters');
    this.strides = checkPositiveInt(strides ?? 1, 'ZeroPadShortcut: strides');
  }

  /** Rejects inputs with more channels than `filters` (option A can only widen). */
  override build(inputShape: Shape | Shape[]): void {
    const shape = single(inputShape);
    const c = shape[3];
    if (shape.length !== 4 || c == null) {
      throw new Error(`ZeroPadShortcut '${this.name}': needs a rank-4 NHWC input with known channels, got [${shape.map(String).join(', ')}]`);
    }
    if (c > this.filters) {
      throw new Error(
        `ZeroPadShortcut '${this.name}': cannot shrink ${c} channels to ${this.filters}; ` +
          `zero-pad only widens (filters >= input channels). Use a projection shortcut instead.`,
      );
    }
    this.built = true;
  }

  /** `[n, ceil(h/s), ceil(w/s), filters]`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w] = single(inputShape);
    const sub = (d: number | null | undefined) => (d == null ? null : Math.ceil(d / this.strides));
    return [n ?? null, sub(h), sub(w), this.filters];
  }

  /** Subsamples, then zero-pads the channel axis. */
  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const c = x.shape[3]!;
      const s = this.strides;
      const sub = s === 1 ? x : subsample(x, s);
      const extra = this.filters - c;
      if (extra === 0) return sub;
      const before = Math.floor(extra / 2);
      return pad(sub, [[0, 0], [0, 0], [0, 0], [before, extra - before]]);
    });
  }

  /** Serializable configuration. */
  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, strides: this.strides };
  }
}
serialization.registerClass(ZeroPadShortcut);

/**
 * `x[:, ::s, ::s, :]` from ops that have gradients on every backend (tfjs has
 * no gradient for StridedSlice): pad H and W up to a multiple of s, view each
 * as (H/s, s), keep offset 0.
 */
function subsample(x: Tensor, s: number): Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [ho, wo] = [Math.ceil(h / s), Math.ceil(w / s)];
  const padded = ho * s === h && wo * s === w ? x : pad(x, [[0, 0], [0, ho * s - h], [0, wo * s - w], [0, 0]]);
  const grid = reshape(padded, [n, ho, s, wo, s, c]);
  return reshape(slice(grid, [0, 0, 0, 0, 0, 0], [n, ho, 1, wo, 1, c]), [n, ho, wo, c]);
}

function single(inputShape: Shape | Shape[]): Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
}
