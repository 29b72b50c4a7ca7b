// Parameter counts in the two conventions people quote.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { AnyLayer } from './graph.js';
import { defaultBlockOf, type BlockOf } from './blocks.js';

/**
 * How to count.
 *
 * - `'keras'`: every weight tfjs holds, as `model.countParams()` and Keras'
 *   `model.summary()`: BatchNorm moving mean/variance count as non-trainable
 *   (a ResNet-50 totals 25,610,152).
 * - `'torch'`: parameters only, as `sum(p.numel() for p in model.parameters())`:
 *   BatchNorm moving statistics are buffers and are not counted (ResNet-50:
 *   25,557,032). Frozen weights still count, as non-trainable.
 */
export type ParamConvention = 'torch' | 'keras';

/** Trainable, non-trainable and total parameter counts. */
export interface ParamCounts {
  /** Weights the optimizer updates. */
  trainable: number;
  /** Frozen weights, plus BatchNorm moving statistics in the `'keras'` convention. */
  nonTrainable: number;
  /** `trainable + nonTrainable`. */
  total: number;
}

/** Parameter counts of one layer. */
export interface LayerParams extends ParamCounts {
  /** Layer name (nested models' layers as `outer/inner`). */
  name: string;
  /** tfjs class name, e.g. `Conv2D`, `BatchNormalization`, `ResidualAdd`. */
  className: string;
  /** The block the layer belongs to (see {@link CountParamsOptions.blockOf}). */
  block: string;
}

/** Parameter counts of one block (a run of layers sharing a name prefix). */
export interface BlockParams extends ParamCounts {
  /** Block name: `stem`, `layer1.0`, …, `head`. */
  name: string;
  /** Number of layers in the block. */
  layers: number;
}

/** The result of {@link countParams}. */
export interface ParamReport extends ParamCounts {
  /** The convention the numbers follow. */
  convention: ParamConvention;
  /** One entry per layer, in `model.layers` order (nested models expanded). */
  byLayer: LayerParams[];
  /** One entry per block, in order. */
  byBlock: BlockParams[];
}

/** Options of {@link countParams}. */
export interface CountParamsOptions {
  /** `'keras'` (default, equals `model.countParams()`) or `'torch'`; see {@link ParamConvention}. */
  convention?: ParamConvention;
  /**
   * Maps a layer name to its block name; `''` means "not in a block" (filed under
   * `stem` before the first block, `head` after). Default: the first two segments
   * of names with at least three (`layer1.0.conv1` → `layer1.0`).
   */
  blockOf?: BlockOf;
}

const CONVENTIONS: readonly ParamConvention[] = ['torch', 'keras'];

/** @internal Validates a convention value. */
export function checkConvention(c: unknown, what: string): ParamConvention {
  const v = c ?? 'keras';
  if (!CONVENTIONS.includes(v as ParamConvention)) {
    throw new Error(`${what}: convention must be one of ${CONVENTIONS.map((x) => `'${x}'`).join(', ')}, got ${JSON.stringify(c)}`);
  }
  return v as ParamConvention;
}

// BatchNorm moving statistics are PyTorch buffers, not parameters.
function isBuffer(layer: AnyLayer, weightName: string): boolean {
  return /BatchNormalization/.test(layer.getClassName()) && /moving_(mean|variance)/.test(weightName);
}

function size(shape: ReadonlyArray<number | null>): number {
  return shape.reduce<number>((a, b) => a * (b ?? 0), 1);
}

/** @internal Counts of one (non-container) layer in a convention. */
function layerParamCounts(layer: AnyLayer, convention: ParamConvention): ParamCounts {
  let trainable = 0;
  let nonTrainable = 0;
  for (const w of layer.trainableWeights) trainable += size(w.shape);
  for (const w of layer.nonTrainableWeights) {
    if (convention === 'torch' && isBuffer(layer, w.originalName ?? w.name)) continue;
    nonTrainable += size(w.shape);
  }
  return { trainable, nonTrainable, total: trainable + nonTrainable };
}

/** @internal A model's leaf layers with nested models expanded; names prefixed `outer/`. */
export function leafLayers(model: LayersModel, prefix = ''): Array<{ name: string; layer: AnyLayer }> {
  const out: Array<{ name: string; layer: AnyLayer }> = [];
  for (const layer of model.layers) {
    const nested = (layer as unknown as { layers?: unknown }).layers;
    if (Array.isArray(nested)) out.push(...leafLayers(layer as unknown as LayersModel, `${prefix}${layer.name}/`));
    else out.push({ name: `${prefix}${layer.name}`, layer });
  }
  return out;
}

/**
 * Counts a model's parameters: trainable, non-trainable and total, per layer
 * and per block, in the `'keras'` (default) or `'torch'` convention.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * countParams(createModel('resnet50'), { convention: 'torch' }).total; // 25_557_032
 * ```
 */
export function countParams(model: LayersModel, opts: CountParamsOptions = {}): ParamReport {
  if (model == null || !Array.isArray((model as { layers?: unknown }).layers)) {
    throw new Error(`countParams: expected a tfjs LayersModel, got ${String(model)}`);
  }
  const convention = checkConvention(opts.convention, 'countParams');
  const blockOf = opts.blockOf ?? defaultBlockOf;
  const byLayer: LayerParams[] = [];
  const byBlock: BlockParams[] = [];
  const blockIndex = new Map<string, BlockParams>();
  let seenNamed = false;
  for (const { name, layer } of leafLayers(model)) {
    const c = layerParamCounts(layer, convention);
    // Nested models' layers group by their own names (without the `outer/` prefix).
    let block = blockOf(name.slice(name.lastIndexOf('/') + 1));
    if (block === '') block = seenNamed ? 'head' : 'stem';
    else seenNamed = true;
    byLayer.push({ name, className: layer.getClassName(), block, ...c });
    let b = blockIndex.get(block);
    if (!b) {
      b = { name: block, layers: 0, trainable: 0, nonTrainable: 0, total: 0 };
      blockIndex.set(block, b);
      byBlock.push(b);
    }
    b.layers += 1;
    b.trainable += c.trainable;
    b.nonTrainable += c.nonTrainable;
    b.total += c.total;
  }
  const trainable = byLayer.reduce((a, l) => a + l.trainable, 0);
  const nonTrainable = byLayer.reduce((a, l) => a + l.nonTrainable, 0);
  return { convention, trainable, nonTrainable, total: trainable + nonTrainable, byLayer, byBlock };
}
