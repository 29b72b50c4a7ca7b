/**
 * Freezing a backbone so that it really stays frozen in `fit`: its weights
 * leave the trainable set, and its layers run in inference mode. The second
 * half matters because tfjs's BatchNormalization updates its moving statistics
 * whenever it is called in training mode, `trainable = false` or not (Keras 2
 * freezes them with trainable; tfjs does not), and stochastic-depth junctions
 * and dropout would keep drawing noise.
 */
import type { layers, LayersModel } from '@tensorflow/tfjs-layers';

type Layer = InstanceType<typeof layers.Layer>;

/** Options of {@link freezeBackbone}. */
export interface FreezeOptions {
  /**
   * Freeze this layer, or every layer of this module prefix (`'layer3'` covers
   * `layer3.0.conv1` …), and everything it is computed from. Default: every
   * layer except the classifier (the model's final Dense layer).
   */
  upTo?: string;
}

type Call = Layer['call'];
/** Each frozen layer's own `call`, to restore on unfreeze. */
const originals = new WeakMap<Layer, Call>();

/** The layers `targets` are computed from, targets included (walks the graph, not the layer list). */
function upstream(targets: Layer[]): Set<Layer> {
  const seen = new Set<Layer>();
  const stack = [...targets];
  while (stack.length) {
    const layer = stack.pop()!;
    if (seen.has(layer)) continue;
    seen.add(layer);
    for (const node of layer.inboundNodes) stack.push(...node.inboundLayers);
  }
  return seen;
}

function headLayers(model: LayersModel): Layer[] {
  const outputs = model.outputLayers.filter((l) => l.getClassName() === 'Dense');
  return outputs.length ? outputs : [];
}

/**
 * Freezes the backbone of `model` (timm's `freeze`, Keras's `base.trainable =
 * False`): the chosen layers stop training (`trainable = false`) and always run
 * in inference mode, so BatchNorm uses and keeps its moving statistics during
 * `fit`. Call it before `model.compile()` (tfjs fixes the trainable weights at
 * compile time; compile again after changing them). Returns the frozen layers' names.
 *
 * @example
 * ```ts
 * const model = replaceHead(await createModel('resnet50.tv2_in1k'), 10);
 * freezeBackbone(model);                      // everything but fc; or { upTo: 'layer3' }
 * model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
 * ```
 */
export function freezeBackbone(model: LayersModel, opts: FreezeOptions = {}): string[] {
  let targets: Layer[];
  if (opts.upTo === undefined) {
    const head = new Set(headLayers(model));
    targets = model.outputLayers.flatMap((l) => (head.has(l) ? l.inboundNodes.flatMap((n) => n.inboundLayers) : [l]));
  } else {
    const p = opts.upTo;
    targets = model.layers.filter((l) => l.name === p || l.name.startsWith(`${p}.`));
    if (!targets.length) {
      const stages = [...new Set(model.layers.map((l) => l.name.split('.')[0]!))];
      throw new Error(`freezeBackbone: model '${model.name}' has no layer '${p}' (nor '${p}.…'); its top-level names: ${stages.join(', ')}`);
    }
  }
  const frozen = [...upstream(targets)].filter((l) => l.getClassName() !== 'InputLayer');
  for (const layer of frozen) {
    layer.trainable = false;
    if (originals.has(layer)) continue;
    const own = layer.call;
    originals.set(layer, own);
    layer.call = (inputs: Parameters<Call>[0], kwargs: Parameters<Call>[1]) => own.call(layer, inputs, { ...kwargs, training: false });
  }
  return frozen.map((l) => l.name);
}

/**
 * Undoes {@link freezeBackbone} on every layer of `model` (compile again afterwards). Returns the layers' names.
 *
 * @example
 * ```ts
 * const model = createModel('resnet18', { numClasses: 10 });
 * freezeBackbone(model);
 * unfreezeBackbone(model); // then compile again and fine-tune everything, usually with a smaller learning rate
 * ```
 */
export function unfreezeBackbone(model: LayersModel): string[] {
  const thawed: string[] = [];
  for (const layer of model.layers) {
    const own = originals.get(layer);
    if (!own) continue;
    layer.call = own;
    layer.trainable = true;
    originals.delete(layer);
    thawed.push(layer.name);
  }
  return thawed;
}
