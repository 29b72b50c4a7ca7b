// Walking and running the graph of a functional tfjs LayersModel, node by node.
// tfjs keeps this structure on the model (`nodesByDepth`, each Node with its
// input/output SymbolicTensors); these helpers expose it so the analyses can
// compute shapes for any input size, run a model with a block skipped, stop
// gradients at chosen tensors and read gradients at intermediate activations.
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { layers } from '@tensorflow/tfjs-layers';

/** A tfjs-layers layer (the `Layer` class is exported only as `layers.Layer`). */
export type AnyLayer = InstanceType<typeof layers.Layer>;
/** A shape with `null` for unknown dimensions. */
export type Shape = Array<number | null>;

/** The parts of a tfjs `Node` the analyses read. */
export interface GraphNode {
  outboundLayer: AnyLayer;
  inputTensors: SymbolicTensor[];
  outputTensors: SymbolicTensor[];
  callArgs?: Record<string, unknown>;
}

interface ContainerInternals {
  nodesByDepth: Record<string, GraphNode[]>;
  inputLayers: AnyLayer[];
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
}

/** @internal A `tf.sequential` keeps its graph in an inner functional model; use that. */
export function functional(model: LayersModel): LayersModel {
  if (model?.getClassName?.() !== 'Sequential') return model;
  const seq = model as unknown as { model?: LayersModel; build(): void };
  // A Sequential builds its inner model lazily (on compile / first call).
  if (seq.model == null) seq.build();
  return seq.model ?? model;
}

function internals(model: LayersModel, what: string): ContainerInternals {
  const m = functional(model) as unknown as Partial<ContainerInternals>;
  if (m == null || m.nodesByDepth == null || !Array.isArray(m.inputs) || !Array.isArray(m.outputs)) {
    throw new Error(`${what}: expected a tfjs LayersModel (tf.model / tf.sequential), got ${describe(model)}`);
  }
  return m as ContainerInternals;
}

function describe(v: unknown): string {
  if (v == null) return String(v);
  return (v as { constructor?: { name?: string } }).constructor?.name ?? typeof v;
}

/** The model's non-input nodes in execution order (inputs first), as tfjs runs them. */
export function graphNodes(model: LayersModel, what = 'graphNodes'): GraphNode[] {
  const g = internals(model, what);
  const inputIds = new Set(g.inputLayers.map((l) => l.id));
  const depths = Object.keys(g.nodesByDepth)
    .map((d) => Number.parseInt(d, 10))
    .sort((a, b) => b - a);
  const out: GraphNode[] = [];
  for (const d of depths) {
    for (const node of g.nodesByDepth[d] ?? []) {
      if (!inputIds.has(node.outboundLayer.id)) out.push(node);
    }
  }
  return out;
}

/** Input and output shapes of one node, batch dimension included. */
export interface NodeShapes {
  node: GraphNode;
  inputShapes: Shape[];
  outputShapes: Shape[];
}

/**
 * Shapes of every node for the model's own input shape, or for `inputShape`
 * (without the batch dimension, e.g. `[224, 224, 3]`) on single-input models.
 * Uses each layer's `computeOutputShape`, as tfjs' own `Container` does.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * const shapes = nodeShapes(createModel('resnet50'), [160, 160, 3]);
 * shapes.at(-1)?.outputShapes; // [[null, 1000]]
 * ```
 */
export function nodeShapes(model: LayersModel, inputShape?: readonly number[], what = 'nodeShapes'): NodeShapes[] {
  const g = internals(model, what);
  const shapes = new Map<number, Shape>();
  if (inputShape != null) {
    if (g.inputs.length !== 1) {
      throw new Error(`${what}: inputShape can only be given for single-input models; this model has ${g.inputs.length} inputs`);
    }
    const own = g.inputs[0]!.shape;
    if (!Array.isArray(inputShape) || inputShape.length !== own.length - 1 || inputShape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new Error(
        `${what}: inputShape must be ${own.length - 1} positive integers (no batch dimension, like the model's ` +
          `[${own.slice(1).join(', ')}]), got ${JSON.stringify(inputShape)}`,
      );
    }
    shapes.set(g.inputs[0]!.id, [own[0] ?? null, ...inputShape]);
  } else {
    for (const t of g.inputs) shapes.set(t.id, t.shape.slice());
  }
  const out: NodeShapes[] = [];
  for (const node of graphNodes(model, what)) {
    const ins = node.inputTensors.map((t) => shapes.get(t.id) ?? t.shape.slice());
    const layer = node.outboundLayer;
    const raw = inputShape == null ? null : layer.computeOutputShape(ins.length === 1 ? ins[0]! : ins);
    const outs: Shape[] =
      raw == null ? node.outputTensors.map((t) => t.shape.slice()) : Array.isArray(raw[0]) ? (raw as Shape[]) : [raw as Shape];
    node.outputTensors.forEach((t, i) => shapes.set(t.id, outs[i] ?? t.shape.slice()));
    out.push({ node, inputShapes: ins, outputShapes: outs });
  }
  return out;
}

/** Hooks of {@link runGraph}. */
export interface RunGraphOptions {
  /** Passed to every layer as `kwargs.training` (BatchNorm batch statistics, dropout, drop-path). */
  training?: boolean;
  /**
   * Called with each node and its concrete inputs before the layer runs; may
   * return replacement inputs (same count), e.g. to stop gradients.
   */
  beforeNode?: (node: GraphNode, inputs: Tensor[]) => Tensor[] | void;
  /** Called with each node's outputs; may return replacements (same count), e.g. to add a probe. */
  afterNode?: (node: GraphNode, outputs: Tensor[]) => Tensor[] | void;
  /**
   * SymbolicTensor ids whose value is taken from another tensor instead of
   * being computed: `substitute.get(id) = otherId`. Nodes whose outputs are all
   * substituted or unused are not run (this is how a block is skipped).
   */
  substitute?: Map<number, number>;
}

/**
 * Runs a functional model on concrete inputs node by node, like tfjs'
 * `Container.call`, with hooks. Intermediate tensors are kept alive until the
 * end, so call it inside `tf.tidy` (or a gradient function).
 *
 * @returns the model outputs, in `model.outputs` order.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * const model = createModel('resnet8');
 * const means = new Map<string, number>();
 * tf.tidy(() => {
 *   runGraph(model, tf.randomNormal([2, 32, 32, 3]), {
 *     afterNode: (node, outputs) => void means.set(node.outboundLayer.name, outputs[0]!.mean().dataSync()[0]!),
 *   });
 * });
 * ```
 */
export function runGraph(model: LayersModel, inputs: Tensor | Tensor[], opts: RunGraphOptions = {}): Tensor[] {
  const g = internals(model, 'runGraph');
  const xs = Array.isArray(inputs) ? inputs : [inputs];
  if (xs.length !== g.inputs.length) {
    throw new Error(`runGraph: model has ${g.inputs.length} inputs, got ${xs.length} tensors`);
  }
  const values = new Map<number, Tensor>();
  g.inputs.forEach((t, i) => values.set(t.id, xs[i]!));
  const sub = opts.substitute ?? new Map<number, number>();
  const needed = neededTensors(model, sub);
  // A substituted tensor takes the value of the one it maps to (following chains).
  const resolve = (id: number): Tensor | undefined => (sub.has(id) ? resolve(sub.get(id)!) : values.get(id));
  for (const node of graphNodes(model, 'runGraph')) {
    if (!node.outputTensors.some((t) => needed.has(t.id) && !sub.has(t.id))) continue;
    let ins = node.inputTensors.map((t) => {
      const v = resolve(t.id);
      if (v == null) throw new Error(`runGraph: input '${t.name}' of layer '${node.outboundLayer.name}' was not computed`);
      return v;
    });
    ins = opts.beforeNode?.(node, ins) ?? ins;
    const kwargs = { ...(node.callArgs ?? {}), training: opts.training ?? false };
    const raw = node.outboundLayer.apply(ins.length === 1 ? ins[0]! : ins, kwargs) as Tensor | Tensor[];
    let outs = Array.isArray(raw) ? raw : [raw];
    outs = opts.afterNode?.(node, outs) ?? outs;
    node.outputTensors.forEach((t, i) => values.set(t.id, outs[i]!));
  }
  return g.outputs.map((t) => {
    const v = resolve(t.id);
    if (v == null) throw new Error(`runGraph: output '${t.name}' was not computed`);
    return v;
  });
}

// Tensors reachable backwards from the outputs once substitutions are applied,
// so a skipped block's layers are never run.
function neededTensors(model: LayersModel, sub: Map<number, number>): Set<number> {
  const g = internals(model, 'runGraph');
  const producer = new Map<number, GraphNode>();
  for (const node of graphNodes(model)) for (const t of node.outputTensors) producer.set(t.id, node);
  const needed = new Set<number>();
  const stack = g.outputs.map((t) => t.id);
  while (stack.length > 0) {
    let id = stack.pop()!;
    if (needed.has(id)) continue;
    needed.add(id);
    if (sub.has(id)) {
      id = sub.get(id)!;
      stack.push(id);
      continue;
    }
    const node = producer.get(id);
    if (node) for (const t of node.inputTensors) stack.push(t.id);
  }
  return needed;
}
