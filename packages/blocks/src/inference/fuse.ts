import { add, dispose, fill, keep, mul, rsqrt, scalar, sub, tidy, zeros, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ResidualAdd } from '../residual-add.js';
import { runFusedConv, type FusedConv } from './fused-conv.js';

type Layer = LayersModel['layers'][number];
type Node = Layer['inboundNodes'][number];

/** A model's forward pass in inference mode with its convolutions fused (see {@link fuseForInference}). */
export interface FusedInference {
  /** The model's output for `x` (inference mode), like `model.predict(x)` for a single-input, single-output model. */
  predict(x: Tensor): Tensor;
  /** How many of each fusion were made. */
  readonly fused: { batchNorms: number; relus: number; residuals: number; paddings: number };
  /** Frees the folded weights. */
  dispose(): void;
}

/** Options of {@link fuseForInference}. */
export interface FuseOptions {
  /**
   * Fold each BatchNorm into its convolution's own kernel (true, the default),
   * so that the fused pass holds no second copy of the model's weights: the
   * convolution's kernel becomes w·γ/σ and the BatchNorm the identity plus the
   * folded bias (mean −b, variance 1 − ε, γ 1, β 0). `model.predict` keeps its
   * results up to float32 rounding, but the model's parameters are no longer
   * the trained ones: pass `false` to keep them (at the cost of the folded
   * copies) when the model will be trained or saved afterwards. Layers shared by
   * several calls are never rewritten.
   */
  inPlace?: boolean;
}

/** One fused convolution and the ids of the tensors it reads and writes, run in place of the layers it absorbed. */
interface Group extends FusedConv { input: number; output: number; residual: number | null }

const isRelu = (l: Layer) => {
  const c = l.getConfig();
  return (l.getClassName() === 'ReLU' && c.maxValue == null && !c.negativeSlope && !c.threshold) ||
    (l.getClassName() === 'Activation' && c.activation === 'relu');
};

/**
 * Compiles a tfjs-layers model's inference pass with the fusions graph
 * optimisers (onnxruntime's among them) make: every `Conv2D` followed by a
 * `BatchNormalization` gets the normalisation folded into its weights and bias
 * (w·γ/σ, β − μ·γ/σ); a `ZeroPadding2D` before a 'valid' convolution becomes the
 * convolution's own padding; a ReLU after it, and a residual addition (a
 * `ResidualAdd` of @resnet/blocks, its gate folded in, or a Keras `Add`) with the
 * ReLU after that, run in the convolution's epilogue. Each fusion applies only
 * where the fused layer's output feeds nothing else. Other layers run as they
 * are. A fused convolution with a residual runs the {@link CONV2D_RESIDUAL}
 * kernel where the active backend registers it (@resnet/backend does on wasm:
 * its SIMD convolution with bias, residual and ReLU in one pass); elsewhere the
 * same maths by tfjs ops.
 *
 * The weights, statistics and gates are read now: compile again after changing
 * any. Results equal `model.predict` up to float32 rounding of the folded weights.
 * By default the folding happens in the model's own layers, so that no second
 * copy of the weights stays alive; see {@link FuseOptions.inPlace}. `predict`
 * frees each activation once its last reader has run, so its peak is the
 * widest point of the network, not the sum of its layers.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * import { selectBackend } from '@resnet/backend';
 * import { fuseForInference } from '@resnet/blocks';
 * await selectBackend('wasm');
 * const fused = fuseForInference(createModel('resnet50'));
 * const logits = fused.predict(tf.zeros([1, 224, 224, 3])); // equals model.predict up to float32 rounding
 * fused.dispose();
 * ```
 */
export function fuseForInference(model: LayersModel, options: FuseOptions = {}): FusedInference {
  const inPlace = options.inPlace ?? true;
  if (model.inputs?.length !== 1 || model.outputs?.length !== 1) {
    throw new Error(`fuseForInference: needs a tfjs-layers model with one input and one output; got ${model.inputs?.length ?? 'no'} inputs and ${model.outputs?.length ?? 'no'} outputs`);
  }
  const consumers = new Map<number, number>();
  const producer = new Map<number, { layer: Layer; node: Node; index: number }>();
  const steps: Array<{ layer: Layer; node: Node; index: number }> = [];
  model.layers.forEach((layer, index) => {
    for (const node of layer.inboundNodes) {
      if (layer.getClassName() === 'InputLayer') continue;
      steps.push({ layer, node, index });
      for (const t of node.inputTensors) consumers.set(t.id, (consumers.get(t.id) ?? 0) + 1);
      for (const t of node.outputTensors) producer.set(t.id, { layer, node, index });
    }
  });
  for (const t of model.outputs) consumers.set(t.id, (consumers.get(t.id) ?? 0) + 1);
  /** The single step consuming tensor `id`, if it has exactly one consumer. */
  const soleConsumer = (id: number) => (consumers.get(id) === 1 ? steps.find((s) => s.node.inputTensors.some((t) => t.id === id)) : undefined);

  const counts = { batchNorms: 0, relus: 0, residuals: 0, paddings: 0 };
  const owned: Tensor[] = []; // folded weights, ours to dispose
  const groups = new Map<number, Group>(); // by the index of the step that completes them
  const skipped = new Set<number>();
  steps.forEach((step, i) => {
    const c = step.layer.getConfig();
    const dilations = [c.dilationRate ?? 1].flat() as number[];
    if (step.layer.getClassName() !== 'Conv2D' || c.dataFormat !== 'channelsLast' || dilations.some((d) => d !== 1) ||
      !['linear', 'relu'].includes(c.activation as string)) return;
    const [kernel, convBias] = step.layer.getWeights() as [Tensor4D, Tensor | undefined];
    const g: Group = {
      input: step.node.inputTensors[0]!.id, output: step.node.outputTensors[0]!.id, residual: null,
      filter: kernel, bias: c.useBias ? convBias! : null, relu: c.activation === 'relu',
      strides: c.strides as [number, number], pad: c.padding as 'same' | 'valid',
    };
    const members = [i];
    const pad = producer.get(g.input);
    if (g.pad === 'valid' && pad?.layer.getClassName() === 'ZeroPadding2D' && consumers.get(g.input) === 1 && pad.layer.getConfig().dataFormat === 'channelsLast') {
      const [[t, b], [l, r]] = pad.layer.getConfig().padding as [[number, number], [number, number]];
      g.pad = [[0, 0], [t, b], [l, r], [0, 0]];
      g.input = pad.node.inputTensors[0]!.id;
      members.push(steps.indexOf(pad));
      counts.paddings++;
    }
    const bn = g.relu ? undefined : soleConsumer(g.output);
    const bnConfig = bn?.layer.getConfig();
    if (bn != null && bn.layer.getClassName() === 'BatchNormalization' && [-1, 3].includes(bnConfig!.axis as number)) {
      const weights = bn.layer.getWeights();
      const [gamma, beta] = [bnConfig!.scale ? weights.shift() : undefined, bnConfig!.center ? weights.shift() : undefined];
      const [mean, variance] = weights as [Tensor, Tensor];
      // y = γ·(conv + b − μ)/σ + β: the filter times s = γ/σ per output channel, the bias β − (μ − b)·s.
      const epsilon = bnConfig!.epsilon as number;
      const [w, b] = tidy(() => {
        const invStd = rsqrt(add(variance, scalar(epsilon)));
        const s = gamma == null ? invStd : mul(gamma, invStd);
        return [mul(g.filter, s) as Tensor4D, sub(beta ?? scalar(0), mul(sub(mean, g.bias ?? scalar(0)), s))];
      });
      g.bias = b!;
      owned.push(b!);
      if (inPlace && step.layer.inboundNodes.length === 1 && bn.layer.inboundNodes.length === 1 && epsilon < 1) {
        // The conv's kernel takes the folded filter (its old values are freed); the conv's bias, if any, goes to 0 and
        // the BatchNorm becomes (z + b)·(1 − ε + ε)^-½ ≈ z + b, so that model.predict still computes the same function.
        const convWeights = c.useBias ? [w!, zeros(convBias!.shape)] : [w!];
        const bnWeights = bnIdentity(bnConfig!, b!, epsilon);
        step.layer.setWeights(convWeights);
        bn.layer.setWeights(bnWeights);
        dispose([...convWeights, ...bnWeights]);
        g.filter = step.layer.weights[0]!.read() as Tensor4D;
      } else {
        g.filter = w as Tensor4D;
        owned.push(g.filter);
      }
      g.output = bn.node.outputTensors[0]!.id;
      members.push(steps.indexOf(bn));
      counts.batchNorms++;
    }
    let next = g.relu ? undefined : soleConsumer(g.output);
    const cls = next?.layer.getClassName();
    if (next != null && (cls === 'ResidualAdd' || cls === 'Add') && next.node.inputTensors.length === 2 && next.layer.getWeights().length === 0) {
      const branch = next.node.inputTensors[1]!.id === g.output ? 1 : cls === 'Add' ? 0 : -1;
      if (branch >= 0) {
        const gate = cls === 'ResidualAdd' ? (next.layer as ResidualAdd).gate ?? 1 : 1;
        if (gate !== 1) {
          const [filter, bias] = tidy(() => [mul(g.filter, scalar(gate)) as Tensor4D, g.bias && mul(g.bias, scalar(gate))]);
          g.filter = filter!;
          owned.push(g.filter);
          if (bias != null) owned.push((g.bias = bias));
        }
        g.residual = next.node.inputTensors[1 - branch]!.id;
        g.output = next.node.outputTensors[0]!.id;
        members.push(steps.indexOf(next));
        counts.residuals++;
        next = soleConsumer(g.output);
      } else next = undefined;
    }
    if (!g.relu && next != null && isRelu(next.layer)) {
      g.relu = true;
      g.output = next.node.outputTensors[0]!.id;
      members.push(steps.indexOf(next));
      counts.relus++;
    }
    const last = Math.max(...members);
    for (const m of members) if (m !== last) skipped.add(m);
    groups.set(last, g);
  });
  owned.forEach((t) => keep(t));

  // What each step that runs reads, and how many reads each tensor has (the output one more, so it is never freed).
  const reads = steps.map((step, i) => {
    const g = groups.get(i);
    if (g != null) return g.residual == null ? [g.input] : [g.input, g.residual];
    return skipped.has(i) ? [] : step.node.inputTensors.map((t) => t.id);
  });
  const readers = new Map<number, number>([[model.outputs[0]!.id, 1]]);
  for (const id of reads.flat()) readers.set(id, (readers.get(id) ?? 0) + 1);

  return {
    fused: counts,
    predict(x: Tensor): Tensor {
      return tidy(() => {
        const input = model.inputs[0]!.id;
        const values = new Map<number, Tensor>([[input, x]]);
        const left = new Map(readers);
        steps.forEach((step, i) => {
          const g = groups.get(i);
          if (g != null) {
            values.set(g.output, runFusedConv(g, values.get(g.input)! as Tensor4D, g.residual == null ? null : values.get(g.residual)!));
          } else if (!skipped.has(i)) {
            const inputs = step.node.inputTensors.map((t) => values.get(t.id)!);
            const out = step.layer.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: false }) as Tensor | Tensor[];
            (Array.isArray(out) ? out : [out]).forEach((t, k) => values.set(step.node.outputTensors[k]!.id, t));
          }
          // An activation goes as soon as its last reader has run (the caller's input stays theirs). Layer.apply
          // returns new tensor objects, even for a layer that passes its input on, so no other id holds it.
          for (const id of reads[i]!) {
            left.set(id, left.get(id)! - 1);
            if (left.get(id) !== 0 || id === input) continue;
            values.get(id)!.dispose();
            values.delete(id);
          }
        });
        return values.get(model.outputs[0]!.id)!;
      });
    },
    dispose: () => dispose(owned),
  };
}

/**
 * The weights (in the layer's order: γ, β, mean, variance, as configured) of a
 * BatchNorm that adds `bias` and otherwise passes its input: γ 1, β 0, mean −bias,
 * variance 1 − ε.
 */
function bnIdentity(config: ReturnType<Layer['getConfig']>, bias: Tensor, epsilon: number): Tensor[] {
  return tidy(() => [
    ...(config.scale ? [fill(bias.shape, 1)] : []),
    ...(config.center ? [zeros(bias.shape)] : []),
    mul(bias, scalar(-1)),
    fill(bias.shape, 1 - epsilon),
  ]);
}
