import { add, concat, conv2d, serialization, split, tidy, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import { checkPositiveInt } from './validate.js';
import { resolveInitializer, serializeInitializer, type Initializer, type InitializerLike } from './initializer-util.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;


/** Arguments of {@link GroupedConv2D}. */
export interface GroupedConv2DArgs {
  /** Output channels; divisible by `groups`. */
  filters: number;
  /** Square kernel size. */
  kernelSize: number;
  /** Square stride; 1 by default. */
  strides?: number;
  /** `'valid'` (default) or `'same'` (use only with stride 1 for PyTorch parity). */
  padding?: 'valid' | 'same';
  /** Number of channel groups; input and output channels must both be divisible by it. */
  groups: number;
  /** Adds a bias per output channel; false by default. */
  useBias?: boolean;
  /** Kernel initializer (instance or tfjs identifier); `heNormal` style by default is the caller's job. */
  kernelInitializer?: InitializerLike;
  /** Layer name. */
  name?: string;
  /** Whether the weights are trainable (default true). */
  trainable?: boolean;
}

/**
 * A 2-D convolution with channel groups (PyTorch `Conv2d(groups=g)`, ResNeXt).
 * tfjs-layers 4.22's `conv2d` has no `groups` argument and tfjs-core has no
 * grouped conv kernel, so this layer splits the input and the kernel into `g`
 * channel groups, convolves each pair and concatenates the results.
 *
 * The single kernel has shape `[k, k, in/groups, out]`, output channel `o`
 * belonging to group `floor(o / (out/groups))`: exactly a PyTorch grouped weight
 * `[out, in/groups, k, k]` transposed to HWIO, so weight conversion is the same
 * layout change as for an ordinary conv. Weight names: `kernel`, `bias`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [14, 14, 64] });
 * const conv = new GroupedConv2D({ filters: 64, kernelSize: 3, padding: 'same', groups: 32 });
 * const y = conv.apply(x) as tf.SymbolicTensor; // kernel [3, 3, 2, 64], as PyTorch's Conv2d(64, 64, 3, groups=32)
 * ```
 */
export class GroupedConv2D extends layers.Layer {
  /** Name under which the class is registered for serialization. */
  static className = 'GroupedConv2D';
  /** Output channels. */
  readonly filters: number;
  /** Kernel size. */
  readonly kernelSize: number;
  /** Stride. */
  readonly strides: number;
  /** Padding mode. */
  readonly padding: 'valid' | 'same';
  /** Channel groups. */
  readonly groups: number;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private kernel: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  /** Creates the layer; see {@link GroupedConv2DArgs}. */
  constructor(args: GroupedConv2DArgs) {
    const { filters, kernelSize, strides, padding, groups, useBias, kernelInitializer, ...layerArgs } = args;
    super(layerArgs as LayerArgs);
    for (const [k, v] of Object.entries({ filters, kernelSize, groups, strides: strides ?? 1 })) {
      checkPositiveInt(v, `GroupedConv2D: ${k}`);
    }
    if (filters % groups !== 0) {
      throw new Error(`GroupedConv2D: filters (${filters}) must be divisible by groups (${groups})`);
    }
    const p = padding ?? 'valid';
    if (p !== 'valid' && p !== 'same') {
      throw new Error(`GroupedConv2D: padding must be 'valid' or 'same', got '${String(padding)}'`);
    }
    this.filters = filters;
    this.kernelSize = kernelSize;
    this.strides = strides ?? 1;
    this.padding = p;
    this.groups = groups;
    this.useBias = useBias ?? false;
    this.kernelInitializer = resolveInitializer(kernelInitializer ?? 'glorotUniform', `GroupedConv2D '${this.name}' kernelInitializer`);
  }

  /** Creates `kernel` `[k, k, in/groups, filters]` (and `bias`). */
  override build(inputShape: Shape | Shape[]): void {
    const shape = single(inputShape);
    const c = shape[3];
    if (shape.length !== 4 || c == null) {
      throw new Error(`GroupedConv2D '${this.name}': needs a rank-4 NHWC input with known channels, got [${shape.map(String).join(', ')}]`);
    }
    if (c % this.groups !== 0) {
      throw new Error(`GroupedConv2D '${this.name}': input channels (${c}) must be divisible by groups (${this.groups})`);
    }
    const k = this.kernelSize;
    this.kernel = this.addWeight('kernel', [k, k, c / this.groups, this.filters], 'float32', this.kernelInitializer, undefined, true);
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.filters], 'float32', initializers.zeros(), undefined, true);
    }
    this.built = true;
  }

  /** Output shape, as tfjs' conv2d computes it. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w] = single(inputShape);
    const out = (d: number | null | undefined) => {
      if (d == null) return null;
      return this.padding === 'same' ? Math.ceil(d / this.strides) : Math.floor((d - this.kernelSize) / this.strides) + 1;
    };
    return [n ?? null, out(h), out(w), this.filters];
  }

  /** One conv per group, concatenated along channels. */
  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as Tensor4D;
      const kernel = this.kernel!.read() as Tensor4D;
      const s: [number, number] = [this.strides, this.strides];
      let y: Tensor;
      if (this.groups === 1) {
        y = conv2d(x, kernel, s, this.padding);
      } else {
        const xs = split(x, this.groups, 3);
        const ks = split(kernel, this.groups, 3);
        y = concat(xs.map((xi, i) => conv2d(xi as Tensor4D, ks[i]! as Tensor4D, s, this.padding)), 3);
      }
      return this.bias ? add(y, this.bias.read()) : y;
    });
  }

  /** Serializable configuration. */
  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      groups: this.groups,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
    };
  }
}
serialization.registerClass(GroupedConv2D);

function single(inputShape: Shape | Shape[]): Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
}
