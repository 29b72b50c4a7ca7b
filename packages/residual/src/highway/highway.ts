import { initializers, input, layers, model } from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkPositiveInt, type InitializerLike } from '@resnet/blocks';
import { join } from '../internal/names.js';
import { HighwayGate } from './highway-gate.js';

/** Activation names accepted for the transform `H` (the tfjs-layers identifiers). */
export type HighwayActivation = 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'selu' | 'swish' | 'gelu' | 'linear';

/** Options shared by the dense and convolutional highway layers. */
export interface HighwayArgs {
  /**
   * Initial bias of the transform gate `T`. Negative values make a fresh layer carry its
   * input through (`T ≈ sigmoid(b)`); the paper uses −1 to −3 and this defaults to −2.
   */
  gateBias?: number;
  /** Activation of the transform `H`. Default 'relu'. */
  activation?: HighwayActivation;
  /** Initializer of the `H` and `T` kernels. Default 'heNormal' (fan-in, as the paper's nets). */
  kernelInitializer?: InitializerLike;
  /** Module path; sublayers are `<name>.h`, `<name>.t` and the junction `<name>.gate`. */
  name?: string;
}

/** Options of {@link highwayConv2d}: {@link HighwayArgs} plus the kernel size. */
export interface HighwayConv2dArgs extends HighwayArgs {
  /** Square kernel size of `H` and `T` (odd, so 'same' padding is symmetric). Default 3. */
  kernelSize?: number;
}

function gateBiasOf(args: HighwayArgs): number {
  const b = args.gateBias ?? -2;
  if (!Number.isFinite(b)) throw new Error(`gateBias must be a finite number; got ${String(b)}`);
  return b;
}

function lastDim(x: SymbolicTensor, what: string): number {
  const d = x.shape[x.shape.length - 1];
  if (d == null) throw new Error(`${what} needs a known last (feature) dimension; got shape ${JSON.stringify(x.shape)}`);
  return d;
}

/**
 * A dense highway layer, `y = H(x)·T(x) + x·(1 − T(x))` with `H = act(W_H x + b_H)` and
 * `T = sigmoid(W_T x + b_T)`; the output width equals the input width (the carry needs it).
 * Parameters: `2·(d² + d)` for width `d`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [64] });
 * const y = highwayDense(highwayDense(x, { name: 'hw1' }), { name: 'hw2', gateBias: -3 });
 * tf.model({ inputs: x, outputs: y }).countParams(); // 2 · 2·(64² + 64) = 16,640
 * ```
 */
export function highwayDense(x: SymbolicTensor, args: HighwayArgs = {}): SymbolicTensor {
  const d = lastDim(x, 'highwayDense');
  const kernelInitializer = args.kernelInitializer ?? 'heNormal';
  const h = layers
    .dense({ units: d, activation: args.activation ?? 'relu', kernelInitializer, name: join(args.name, 'h') })
    .apply(x) as SymbolicTensor;
  const t = layers
    .dense({
      units: d,
      activation: 'sigmoid',
      kernelInitializer,
      biasInitializer: initializers.constant({ value: gateBiasOf(args) }),
      name: join(args.name, 't'),
    })
    .apply(x) as SymbolicTensor;
  return new HighwayGate({ name: join(args.name, 'gate') }).apply([x, h, t]) as SymbolicTensor;
}

/**
 * A convolutional highway layer: `H` and `T` are stride-1 'same' convolutions with as many
 * filters as the input has channels (NHWC), so the carry `x·(1 − T)` is elementwise.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [16, 16, 32] });
 * const y = highwayConv2d(x, { kernelSize: 3, name: 'hw' }); // [null, 16, 16, 32]
 * ```
 */
export function highwayConv2d(x: SymbolicTensor, args: HighwayConv2dArgs = {}): SymbolicTensor {
  const c = lastDim(x, 'highwayConv2d');
  const kernelSize = args.kernelSize ?? 3;
  if (!Number.isInteger(kernelSize) || kernelSize < 1 || kernelSize % 2 === 0) {
    throw new Error(`kernelSize must be a positive odd integer (so padding is symmetric); got ${String(kernelSize)}`);
  }
  const kernelInitializer = args.kernelInitializer ?? 'heNormal';
  const conv = (nm: string, activation: HighwayActivation, bias?: number) =>
    layers
      .conv2d({
        filters: c,
        kernelSize,
        padding: 'same',
        activation,
        kernelInitializer,
        ...(bias === undefined ? {} : { biasInitializer: initializers.constant({ value: bias }) }),
        name: join(args.name, nm),
      })
      .apply(x) as SymbolicTensor;
  const h = conv('h', args.activation ?? 'relu');
  const t = conv('t', 'sigmoid', gateBiasOf(args));
  return new HighwayGate({ name: join(args.name, 'gate') }).apply([x, h, t]) as SymbolicTensor;
}

/** Options of {@link highwayNetwork}. */
export interface HighwayNetworkArgs extends HighwayArgs {
  /** Length of the (flat) input vector. */
  inputSize: number;
  /** Width of every hidden layer. Default 50 (the paper's thin highway nets). */
  units?: number;
  /** Number of classifier outputs (logits, no softmax). Default 10. */
  numClasses?: number;
  /**
   * Build the "plain" twin: each highway layer is replaced by one dense layer with the same
   * activation and initializer, so the comparison isolates the gating. Default false.
   */
  plain?: boolean;
}

/**
 * A fully connected highway network as in Srivastava et al. (2015), Fig. 1: a dense
 * projection `inputSize → units` (named 'proj'), then `depth` highway layers
 * ('layers.0' … ) — or plain dense layers when `plain: true` — then a linear classifier
 * ('fc') that outputs logits.
 *
 * @example
 * ```ts
 * const deep = highwayNetwork(50, { inputSize: 784, units: 50, numClasses: 10 }); // MNIST logits
 * const plain = highwayNetwork(50, { inputSize: 784, units: 50, numClasses: 10, plain: true }); // the plain twin
 * ```
 */
export function highwayNetwork(depth: number, args: HighwayNetworkArgs): LayersModel {
  checkPositiveInt(depth, 'depth');
  checkPositiveInt(args.inputSize, 'inputSize');
  const units = args.units ?? 50;
  checkPositiveInt(units, 'units');
  const numClasses = args.numClasses ?? 10;
  checkPositiveInt(numClasses, 'numClasses');
  const activation = args.activation ?? 'relu';
  const kernelInitializer = args.kernelInitializer ?? 'heNormal';
  const inp = input({ shape: [args.inputSize], name: 'input' });
  let x = layers.dense({ units, activation, kernelInitializer, name: 'proj' }).apply(inp) as SymbolicTensor;
  for (let i = 0; i < depth; i++) {
    const name = `layers.${i}`;
    x = args.plain
      ? (layers.dense({ units, activation, kernelInitializer, name }).apply(x) as SymbolicTensor)
      : highwayDense(x, { ...args, activation, kernelInitializer, name });
  }
  const logits = layers.dense({ units: numClasses, name: 'fc' }).apply(x) as SymbolicTensor;
  return model({ inputs: inp, outputs: logits, name: args.plain ? `plain${depth}` : `highway${depth}` });
}
