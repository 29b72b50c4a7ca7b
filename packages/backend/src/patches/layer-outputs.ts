// A patch of tfjs-layers, applied by registerWasmTrainingKernels (and so by
// selectBackend('wasm' | 'auto')): it reaches every functional model of the
// process (tf.model, the zoo's nets) in training mode, on every backend.
// tfjs-layers' executor frees each layer's output once the last layer reading
// it has run, but only in inference; in training it keeps every output until
// the whole model has run, so a training step's forward pass peaks at all of
// them at once. The backward pass does not need them: the tape keeps its own
// copies of what each gradient reads (tfjs-core's saved tensors). This runs a
// functional model's training call as tfjs-layers' executor does (the same
// order, the same layer calls) with that release switched on. Listed in
// BackendInfo.patches (see ./applied.ts).
import { cast, dispose, serialization, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { recordPatch } from './applied.js';

/** What {@link patchLayerOutputs} lists in `BackendInfo.patches`. */
export const LAYER_OUTPUTS_PATCH =
  "tfjs-layers Container.call in training mode: each layer's output freed once the last layer reading it has run, as tfjs-layers does in inference (same values, lower peak; every functional model)";

type Mask = Tensor | null | undefined;
interface LayerLike {
  apply(inputs: Tensor[], kwargs?: Record<string, unknown>): Tensor | Tensor[];
  computeMask(inputs: Tensor[], masks: Mask[]): Mask | Mask[];
  supportsMasking: boolean;
  stateful?: boolean;
  inboundNodes: Array<{ outputTensors: SymbolicLike[] }>;
  output: SymbolicLike | SymbolicLike[];
  getOutputAt(index: number): SymbolicLike | SymbolicLike[];
}
interface SymbolicLike { id: number; name: string; dtype?: string; inputs: SymbolicLike[]; sourceLayer: LayerLike }
interface ContainerLike { inputs: SymbolicLike[]; outputs: SymbolicLike[] }
type Call = (this: ContainerLike, inputs: Tensor | Tensor[], kwargs: Record<string, unknown>) => Tensor | Tensor[];

const PATCHED = Symbol.for('@resnet/backend.layerOutputs');
/** Per model: its outputs' producers in tfjs-layers' order, and how many of them read each symbolic tensor. */
const plans = new WeakMap<ContainerLike, { sorted: SymbolicLike[]; readers: Map<string, number> }>();

/** tfjs-layers' getTopologicalSortAndRecipientCounts (executor.ts): a depth-first walk from each fetch, fed tensors not walked. */
function plan(model: ContainerLike): { sorted: SymbolicLike[]; readers: Map<string, number> } {
  const known = plans.get(model);
  if (known) return known;
  const fed = model.inputs.map((x) => x.name);
  const sorted: SymbolicLike[] = [];
  const recipients = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const fetch of model.outputs) {
    const visited = new Set(fed);
    const stack = [fetch];
    const marks: number[] = [];
    while (stack.length > 0) {
      const top = stack.at(-1)!;
      if (visited.has(top.name)) {
        stack.pop();
        continue;
      }
      const marked = marks.at(-1) === stack.length - 1;
      if (top.inputs.length === 0 || marked) {
        stack.pop();
        visited.add(top.name);
        if (marked) marks.pop();
        if (!seen.has(top.name)) {
          seen.add(top.name);
          sorted.push(top);
        }
      } else {
        marks.push(stack.length - 1);
        for (const input of top.inputs) {
          if (!recipients.has(input.name)) recipients.set(input.name, new Set());
          recipients.get(input.name)!.add(top.name);
          if (!visited.has(input.name)) stack.push(input);
        }
      }
    }
  }
  const made = { sorted, readers: new Map([...recipients].map(([name, r]) => [name, r.size])) };
  plans.set(model, made);
  return made;
}

/** The symbolic outputs of the layer call that produced `x` (tfjs-layers' getNodeOutputs). */
function nodeOutputs(x: SymbolicLike): SymbolicLike[] {
  const layer = x.sourceLayer;
  if (layer.inboundNodes.length === 1) return [layer.output].flat();
  const index = layer.inboundNodes.findIndex((n) => n.outputTensors.some((t) => t.id === x.id));
  return [layer.getOutputAt(index)].flat();
}

/** tfjs-layers' `execute` for a model's training call, with its inference-time release of layer outputs. */
function executeReleasing(model: ContainerLike, inputs: Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
  const { sorted, readers } = plan(model);
  const values = new Map<number, Tensor>();
  const masks = new Map<number, Mask>();
  const add = (key: SymbolicLike, value: Tensor, mask?: Mask) => {
    if (values.has(key.id)) return;
    values.set(key.id, key.dtype == null || key.dtype === value.dtype ? value : cast(value, key.dtype as 'float32'));
    if (mask != null) masks.set(key.id, mask);
  };
  model.inputs.forEach((x, i) => add(x, inputs[i]!));
  const fedIds = new Set(model.inputs.map((x) => x.id));
  const outputNames = model.outputs.map((x) => x.name);
  const left = new Map(readers);
  for (const symbolic of sorted) {
    const layer = symbolic.sourceLayer;
    if (symbolic.inputs.length === 0) continue; // an InputLayer's tensor: fed, or missing (its readers then throw)
    // Computed with an earlier output of the same layer call (tfjs-layers' executor calls such a layer again for
    // each output and keeps the first call's values; once is enough, and its inputs are then never released).
    if (values.has(symbolic.id)) continue;
    const inputValues: Tensor[] = [];
    const inputMasks: Mask[] = [];
    const release: Tensor[] = [];
    for (const input of symbolic.inputs) {
      const value = values.get(input.id);
      if (value == null) throw new Error(`Nonexistent key: ${input.name}`);
      inputValues.push(value);
      inputMasks.push(masks.get(input.id));
      const n = left.get(input.name)! - 1;
      left.set(input.name, n);
      if (n === 0 && !fedIds.has(input.id) && !outputNames.includes(input.name) && !value.isDisposed && input.sourceLayer.stateful !== true) {
        release.push(value);
      }
    }
    if (inputMasks.some((m) => m != null)) kwargs.mask = inputMasks[0];
    const outputs = [layer.apply(inputValues, kwargs)].flat();
    const outputMask = layer.supportsMasking ? layer.computeMask(inputValues, inputMasks) : null;
    nodeOutputs(symbolic).forEach((x, i) => add(x, outputs[i]!, Array.isArray(outputMask) ? outputMask[0] : outputMask));
    dispose(release);
  }
  dispose([...masks.values()].filter((m): m is Tensor => m != null));
  const results = model.outputs.map((x) => values.get(x.id)!);
  return results.length === 1 ? results[0]! : results;
}

/**
 * Makes every functional model's training call free each layer's output as
 * soon as the last layer that reads it has run, as tfjs-layers already does in
 * inference, instead of keeping all of them until the model returns. A
 * training step's forward pass then holds only what the backward pass saved
 * and the outputs still to be read; with ReLU's gradient taken from its output
 * (./gradients.ts) a ResNet's BatchNorm outputs and residual sums go at once
 * (ResNet-20 at batch 128 on wasm: tfjs' heap 413 → 265 MB). The same layer
 * calls in the same order, so the same values. A custom gradient that reads a
 * forward tensor it did not save (rather than `save()` it) would find it
 * disposed and throw. Returns false when tfjs-layers is not loaded (its classes
 * are found through the serialization registry). Idempotent.
 *
 * @example
 * ```ts
 * patchLayerOutputs(); // then train as usual: the same values, a lower peak
 * ```
 */
export function patchLayerOutputs(): boolean {
  const entry = serialization.SerializationMap.getMap().classNameMap.Model as unknown as [{ prototype: object }] | undefined;
  let proto = (entry?.[0]?.prototype ?? null) as Record<string | symbol, unknown> | null;
  while (proto != null && !Object.prototype.hasOwnProperty.call(proto, 'call')) proto = Object.getPrototypeOf(proto) as Record<string | symbol, unknown> | null;
  if (proto == null) return false;
  if (!proto[PATCHED]) {
    const original = proto.call as Call;
    proto.call = function call(this: ContainerLike, inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
      if (kwargs?.training !== true) return original.call(this, inputs, kwargs);
      return tidy(() => executeReleasing(this, [inputs].flat(), kwargs));
    } as Call;
    proto[PATCHED] = true;
  }
  recordPatch(LAYER_OUTPUTS_PATCH);
  return true;
}
