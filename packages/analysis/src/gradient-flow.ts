// Per-layer gradient norms of the loss: how plain and residual networks pass
// gradient back to their early layers.
import { add, addN, cast, norm, sqrt, square, stack, sum, tidy, variable, variableGrads, zeros, type Tensor, type Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { blockNames, type BlockOf } from './blocks.js';
import { functional, nodeShapes, runGraph } from './graph.js';
import { checkBatch, softmaxCrossEntropy, type Batch, type LossFn } from './loss.js';

/** Gradient figures of one layer. */
export interface LayerGradient {
  /** Layer name. */
  name: string;
  /** tfjs class name. */
  className: string;
  /** Block of the layer (`stem`, `layer1.0`, …, `head`). */
  block: string;
  /** L2 norm of dLoss/d(layer output), over the whole batch. */
  outputGradNorm: number;
  /** L2 norm of the gradient of the layer's trainable weights (all of them together); null without weights or with `weights: false`. */
  weightGradNorm: number | null;
  /** L2 norm of the layer's trainable weights; null without weights or with `weights: false`. */
  weightNorm: number | null;
}

/** The result of {@link gradientFlow}. */
export interface GradientFlowResult {
  /** Loss of the batch. */
  loss: number;
  /** L2 norm of dLoss/d(model input). */
  inputGradNorm: number;
  /** One entry per layer call, in execution order. */
  layers: LayerGradient[];
}

/** Options of {@link gradientFlow}. */
export interface GradientFlowOptions {
  /**
   * Run layers in training mode (BatchNorm on batch statistics), as PyTorch's
   * `model.train()`. Default true. The BatchNorm moving statistics that a
   * training-mode pass updates are put back afterwards.
   */
  training?: boolean;
  /** Loss on (logits, labels); default mean softmax cross-entropy. */
  loss?: LossFn;
  /** Block grouping (default: first two segments of dotted names). */
  blockOf?: BlockOf;
  /**
   * Also compute weight gradients (`weightGradNorm`, `weightNorm`). Default
   * true. Set false for activation gradients only: much faster where the
   * backend's filter-gradient kernel is slow (the cpu backend) or missing (wasm).
   */
  weights?: boolean;
}

/**
 * Measures, for one batch, the gradient of the loss with respect to every
 * layer's output and every layer's weights. At initialisation it shows the
 * difference residual connections make: with BatchNorm in training mode a deep
 * plain stack's early layers receive gradients orders of magnitude larger than
 * its late ones (they explode, Yang et al. 2019), while a residual stack keeps
 * them within a small factor. The model is not changed.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * const model = createModel('plain20');
 * const batch = { x: tf.randomNormal([8, 32, 32, 3]), y: tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32') };
 * const flow = await gradientFlow(model, batch);
 * flow.layers.map((l) => [l.name, l.outputGradNorm]); // early layers vs late layers
 * ```
 */
export async function gradientFlow(model: LayersModel, batch: Batch, opts: GradientFlowOptions = {}): Promise<GradientFlowResult> {
  checkBatch(batch, 'gradientFlow');
  const training = opts.training ?? true;
  const lossFn = opts.loss ?? softmaxCrossEntropy;
  const graph = functional(model);
  // Shapes for this batch's input size (the model may accept any size).
  const shapes = nodeShapes(graph, batch.x.shape.slice(1), 'gradientFlow');
  const nodes = shapes.map((s) => s.node);
  const saved = training ? graph.nonTrainableWeights.map((w) => w.read().clone()) : [];
  // tf.variable shares its initial tensor's data; tidy disposes that tensor.
  const xVar = tidy(() => variable(cast(batch.x, 'float32'), true));
  // A zero "probe" added to each layer's output: d loss / d probe = d loss / d output.
  const probes = new Map<object, Variable>();
  for (const { node, outputShapes } of shapes) {
    probes.set(node, tidy(() => variable(zeros([batch.x.shape[0]!, ...(outputShapes[0]!.slice(1) as number[])]), true)));
  }
  const withWeights = opts.weights ?? true;
  const weights = withWeights ? graph.trainableWeights.map((w) => w.read() as Variable) : [];
  try {
    const figures = tidy(() => {
      const { value, grads } = variableGrads(() => {
        const [logits] = runGraph(graph, xVar, {
          training,
          afterNode: (node, outs) => [add(outs[0]!, probes.get(node)!), ...outs.slice(1)],
        });
        return lossFn(logits!, batch.y);
      }, [xVar, ...probes.values(), ...weights]);
      const g = (v: Variable) => grads[v.name]!;
      const perLayer = nodes.map((n) => {
        const layerWeights = n.outboundLayer.trainableWeights.map((w) => w.read() as Variable).filter((v) => grads[v.name] != null);
        const sq = (ts: Tensor[]) => (ts.length === 0 ? zeros([]) : sqrt(addN(ts.map((t) => sum(square(t))))));
        return [norm(g(probes.get(n)!)), sq(layerWeights.map(g)), sq(layerWeights)];
      });
      return stack([value, norm(g(xVar)), ...perLayer.flat()]);
    });
    const v = await figures.data();
    const blocks = blockNames(nodes.map((n) => n.outboundLayer.name), opts.blockOf);
    figures.dispose();
    return {
      loss: v[0]!,
      inputGradNorm: v[1]!,
      layers: nodes.map((n, i) => {
        const hasWeights = withWeights && n.outboundLayer.trainableWeights.length > 0;
        const name = n.outboundLayer.name;
        return {
          name,
          className: n.outboundLayer.getClassName(),
          block: blocks[i]!,
          outputGradNorm: v[2 + 3 * i]!,
          weightGradNorm: hasWeights ? v[3 + 3 * i]! : null,
          weightNorm: hasWeights ? v[4 + 3 * i]! : null,
        };
      }),
    };
  } finally {
    xVar.dispose();
    for (const p of probes.values()) p.dispose();
    if (training) {
      graph.nonTrainableWeights.forEach((w, i) => w.write(saved[i]!));
      for (const s of saved) s.dispose();
    }
  }
}
