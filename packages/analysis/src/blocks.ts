// Grouping layers into blocks by their torchvision-style names.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ResidualAdd } from '@resnet/blocks';
import { graphNodes, type AnyLayer, type GraphNode } from './graph.js';

/** Maps a layer name to the block it belongs to. */
export type BlockOf = (layerName: string) => string;

/**
 * The default block of a layer: the first two segments of a dotted name with at
 * least three (`layer1.0.conv1` → `layer1.0`, `features.denseblock1.denselayer1.norm1`
 * → `features.denseblock1`), else `''` for names outside any block (`conv1`, `fc`),
 * which the callers file under `stem` or `head` by position.
 *
 * @example
 * ```ts
 * defaultBlockOf('layer1.0.conv1'); // 'layer1.0'
 * defaultBlockOf('fc');             // '' (stem or head)
 * ```
 */
export function defaultBlockOf(layerName: string): string {
  const parts = layerName.split('.');
  return parts.length >= 3 ? `${parts[0]}.${parts[1]}` : '';
}

/**
 * Block names for a sequence of layer names: `blockOf(name)`, or `stem` before
 * the first named block and `head` after it for names outside any block.
 */
export function blockNames(layerNames: readonly string[], blockOf: BlockOf = defaultBlockOf): string[] {
  let seenNamed = false;
  return layerNames.map((n) => {
    const b = blockOf(n);
    if (b !== '') {
      seenNamed = true;
      return b;
    }
    return seenNamed ? 'head' : 'stem';
  });
}

/** A block of a model: a run of layers that share a name prefix. */
export interface ModelBlock {
  /** Block name (`layer1.0`), or `stem` / `head` for layers before / after all named blocks. */
  name: string;
  /** The block's layers, in execution order. */
  layers: AnyLayer[];
  /** The block's `ResidualAdd` junctions (one for a residual block, none for a plain one). */
  junctions: ResidualAdd[];
}

/**
 * Groups a model's layers (input layers included, in `model.layers` order) into
 * blocks. Layers for which `blockOf` gives `''` go to `stem` before the first
 * named block and to `head` after it.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * const blocks = modelBlocks(createModel('resnet20'));
 * blocks.map((b) => `${b.name}: ${b.layers.length} layers, ${b.junctions.length} junction(s)`); // stem, layer1.0, …, head
 * ```
 */
export function modelBlocks(model: LayersModel, blockOf: BlockOf = defaultBlockOf): ModelBlock[] {
  const blocks: ModelBlock[] = [];
  const byName = new Map<string, ModelBlock>();
  let seenNamed = false;
  for (const layer of model.layers) {
    let name = blockOf(layer.name);
    if (name === '') name = seenNamed ? 'head' : 'stem';
    else seenNamed = true;
    let b = byName.get(name);
    if (!b) {
      b = { name, layers: [], junctions: [] };
      byName.set(name, b);
      blocks.push(b);
    }
    b.layers.push(layer);
    if (layer instanceof ResidualAdd) b.junctions.push(layer);
  }
  return blocks;
}

/** Where a block enters and leaves the graph. */
export interface BlockBoundary {
  /** SymbolicTensor ids consumed by the block and produced outside it. */
  inputs: number[];
  /** SymbolicTensor ids produced by the block and used outside it (or model outputs). */
  outputs: number[];
  /** Shapes of those tensors, in the same order. */
  inputShapes: Array<Array<number | null>>;
  outputShapes: Array<Array<number | null>>;
}

/** The tensors through which a set of layers connects to the rest of the model. */
export function blockBoundary(model: LayersModel, layerNames: ReadonlySet<string>): BlockBoundary {
  const nodes = graphNodes(model);
  const inside = (n: GraphNode) => layerNames.has(n.outboundLayer.name);
  const produced = new Map<number, Array<number | null>>();
  for (const n of nodes) if (inside(n)) for (const t of n.outputTensors) produced.set(t.id, t.shape);
  const inputs = new Map<number, Array<number | null>>();
  const used = new Set<number>(model.outputs.map((t) => t.id));
  for (const n of nodes) {
    for (const t of n.inputTensors) {
      if (inside(n) && !produced.has(t.id)) inputs.set(t.id, t.shape);
      if (!inside(n)) used.add(t.id);
    }
  }
  const outputs = [...produced.keys()].filter((id) => used.has(id));
  return {
    inputs: [...inputs.keys()],
    outputs,
    inputShapes: [...inputs.values()],
    outputShapes: outputs.map((id) => produced.get(id)!),
  };
}
