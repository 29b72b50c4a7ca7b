// Multiply-accumulate counts per layer, from weight and activation shapes.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { nodeShapes, type AnyLayer, type Shape } from './graph.js';

/** What kind of work a layer does, for per-type totals. */
export type MacKind = 'conv' | 'dense' | 'norm' | 'pool' | 'add' | 'other';

/** MACs of one layer call. */
export interface LayerMacs {
  /** Layer name (nested models' layers as `outer/inner`). */
  name: string;
  /** tfjs class name. */
  className: string;
  /** Kind of work; see {@link MacKind}. */
  kind: MacKind;
  /** Multiply-accumulates for one input example. */
  macs: number;
  /** Output shape without the batch dimension. */
  outputShape: number[];
}

/** The result of {@link countMacs}. */
export interface MacReport {
  /** Multiply-accumulates for one example, all layers. */
  total: number;
  /** One entry per layer call, in execution order. */
  byLayer: LayerMacs[];
  /** Totals per kind. */
  byKind: Record<MacKind, number>;
  /** The input shape counted (no batch dimension). */
  inputShape: number[];
}

/** Options of {@link countMacs}. */
export interface CountMacsOptions {
  /**
   * Input shape without the batch dimension, e.g. `[224, 224, 3]`. Default: the
   * model's own input shape; needed when that has unknown (null) dimensions.
   */
  inputShape?: number[];
}

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

function weightShape(layer: AnyLayer, suffix: string): number[] | null {
  const w = layer.weights.find((v) => (v.originalName ?? v.name).endsWith(suffix));
  return w ? (w.shape as number[]) : null;
}

function known(shape: Shape, layer: string): number[] {
  const rest = shape.slice(1);
  if (rest.some((d) => d == null)) {
    throw new Error(
      `countMacs: layer '${layer}' has an unknown dimension in [${shape.map((d) => d ?? 'null').join(', ')}]; ` +
        `pass { inputShape: [h, w, c] } or build the model with a fixed input size`,
    );
  }
  return rest as number[];
}

/**
 * The MACs of one layer call for one example, given its input and output
 * shapes (without batch). Conventions: a conv or dense layer counts its
 * products; a BatchNorm (folded at inference into `x·scale + shift`) and a
 * residual add (`shortcut + gate·branch`) one per output element; pooling one
 * per window element read; activations, padding and reshapes nothing.
 *
 * @example
 * ```ts
 * const conv = tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same' });
 * conv.apply(tf.input({ shape: [56, 56, 64] }));
 * layerMacs(conv, [[56, 56, 64]], [56, 56, 64]); // { kind: 'conv', macs: 115,605,504 } = 56·56·64·(3·3·64)
 * ```
 */
export function layerMacs(layer: AnyLayer, inShapes: number[][], outShape: number[]): { kind: MacKind; macs: number } {
  const cls = layer.getClassName();
  const out = prod(outShape);
  const inp = inShapes[0] ? prod(inShapes[0]) : 0;
  if (cls === 'DepthwiseConv2D') {
    const k = weightShape(layer, 'depthwise_kernel')!;
    return { kind: 'conv', macs: out * k[0]! * k[1]! };
  }
  if (cls === 'SeparableConv2D' || cls === 'SeparableConv1D') {
    const d = weightShape(layer, 'depthwise_kernel')!;
    const p = weightShape(layer, 'pointwise_kernel')!;
    const spatial = prod(outShape.slice(0, -1));
    return { kind: 'conv', macs: spatial * prod(d) + spatial * prod(p) };
  }
  if (/Transpose$/.test(cls)) {
    // Every input element is scattered through the whole kernel: k·k·cout per input element.
    const k = weightShape(layer, 'kernel')!;
    return { kind: 'conv', macs: inp * prod(k.slice(0, -1)) };
  }
  if (/Conv[123]D$/.test(cls) || cls === 'GroupedConv2D') {
    // Kernel [...k, cin/groups, cout]: each output element takes prod(k)·cin/groups products.
    const k = weightShape(layer, 'kernel')!;
    return { kind: 'conv', macs: out * prod(k.slice(0, -1)) };
  }
  if (cls === 'Dense') {
    const k = weightShape(layer, 'kernel')!;
    return { kind: 'dense', macs: out * k[0]! };
  }
  if (/Normalization$/.test(cls)) return { kind: 'norm', macs: out };
  if (/^Global(Average|Max)Pooling/.test(cls)) return { kind: 'pool', macs: inp };
  if (/^(Average|Max)Pooling[123]D$/.test(cls)) {
    const pool = (layer as unknown as { poolSize?: number | number[] }).poolSize ?? 1;
    const window = Array.isArray(pool) ? prod(pool) : pool;
    return { kind: 'pool', macs: out * window };
  }
  if (cls === 'ResidualAdd' || cls === 'Add') return { kind: 'add', macs: out * Math.max(1, inShapes.length - 1) };
  return { kind: 'other', macs: 0 };
}

/**
 * Counts multiply-accumulates (MACs) for one example at the model's input size
 * (or `inputShape`), per layer and per kind. The conventions of
 * {@link layerMacs} put torchvision's ResNet-50 at about 4.11 G (4.09 G for its
 * convs and fc alone), ResNet-18 at 1.82 G and the CIFAR ResNet-20 at about 41 M.
 * FLOPs are usually quoted as 2 × MACs.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * const r50 = createModel('resnet50');
 * countMacs(r50).total;                                // 4,107,724,288
 * countMacs(r50, { inputShape: [160, 160, 3] }).total; // at another input size
 * countMacs(r50).byKind.conv;                          // the convolutions alone
 * ```
 */
export function countMacs(model: LayersModel, opts: CountMacsOptions = {}): MacReport {
  const byLayer: LayerMacs[] = [];
  const inputShape = visit(model, opts.inputShape, '', byLayer);
  const byKind: Record<MacKind, number> = { conv: 0, dense: 0, norm: 0, pool: 0, add: 0, other: 0 };
  for (const l of byLayer) byKind[l.kind] += l.macs;
  return { total: byLayer.reduce((a, l) => a + l.macs, 0), byLayer, byKind, inputShape };
}

function visit(model: LayersModel, inputShape: number[] | undefined, prefix: string, out: LayerMacs[]): number[] {
  const shapes = nodeShapes(model, inputShape, 'countMacs');
  for (const { node, inputShapes, outputShapes } of shapes) {
    const layer = node.outboundLayer;
    const name = `${prefix}${layer.name}`;
    const ins = inputShapes.map((s) => known(s, name));
    if (Array.isArray((layer as unknown as { layers?: unknown }).layers)) {
      visit(layer as unknown as LayersModel, ins[0], `${name}/`, out);
      continue;
    }
    const o = known(outputShapes[0]!, name);
    out.push({ name, className: layer.getClassName(), ...layerMacs(layer, ins, o), outputShape: o });
  }
  const first = model.inputs[0];
  return inputShape ?? (first ? known(first.shape, 'input') : []);
}
