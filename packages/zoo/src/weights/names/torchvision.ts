/**
 * Names mapped: this zoo's tfjs weights ↔ torchvision state-dict keys. Each
 * tfjs weight is a PyTorch key with PyTorch's layout; layer names already are
 * torchvision module paths, so this is a per-layer-class rule, not a rename
 * table.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { WeightTarget } from '../apply.js';
import { hwioToOihw, oihwToHwio, transpose2d } from '../layout.js';

/** A model weight in PyTorch naming, with both layout conversions. */
interface TorchTarget extends WeightTarget {
  /** Converts the variable's values to PyTorch layout (for export). */
  fromTfjs: (values: Float32Array) => Float32Array;
}

const BN_NAMES: Record<string, string> = {
  gamma: 'weight',
  beta: 'bias',
  moving_mean: 'running_mean',
  moving_variance: 'running_var',
};

const CONV_CLASSES = new Set(['Conv2D', 'GroupedConv2D']);

function shortName(originalName: string): string {
  const i = originalName.lastIndexOf('/');
  return i < 0 ? originalName : originalName.slice(i + 1);
}

/** The classifier: the Dense layer that produces a model output, if any. */
export function classifierLayerName(model: LayersModel): string | undefined {
  const out = model.outputLayers.filter((l) => l.getClassName() === 'Dense');
  return out.length === 1 ? out[0]!.name : undefined;
}

/** Every weight of `model` as a torchvision state-dict target. */
export function torchTargets(model: LayersModel): TorchTarget[] {
  const classifier = classifierLayerName(model);
  const targets: TorchTarget[] = [];
  const seen = new Set<string>();
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    for (const v of layer.weights) {
      const w = shortName(v.originalName);
      const shape = v.shape as number[];
      const same = (x: Float32Array) => x;
      let key = `${layer.name}.${w}`;
      let sourceShape = shape;
      let toTfjs: TorchTarget['toTfjs'] = same;
      let fromTfjs = same;
      if (CONV_CLASSES.has(cls) && w === 'kernel') {
        key = `${layer.name}.weight`;
        const [h, ww, i, o] = shape as [number, number, number, number];
        sourceShape = [o, i, h, ww];
        toTfjs = (x, out) => oihwToHwio(x, sourceShape, out);
        fromTfjs = (x) => hwioToOihw(x, shape);
      } else if (cls === 'Dense' && w === 'kernel') {
        key = `${layer.name}.weight`;
        sourceShape = [shape[1]!, shape[0]!];
        toTfjs = (x, out) => transpose2d(x, sourceShape, out);
        fromTfjs = (x) => transpose2d(x, shape);
      } else if (cls === 'BatchNormalization' && BN_NAMES[w]) {
        key = `${layer.name}.${BN_NAMES[w]}`;
      }
      if (seen.has(key)) throw new Error(`two model weights map to the PyTorch key '${key}'; layer names must be unique module paths`);
      seen.add(key);
      targets.push({ key, variable: v, sourceShape, toTfjs, fromTfjs, classifier: layer.name === classifier });
    }
  }
  return targets;
}

/** BatchNorm layers, whose PyTorch twins also carry `num_batches_tracked`. */
export function batchNormLayerNames(model: LayersModel): string[] {
  return model.layers.filter((l) => l.getClassName() === 'BatchNormalization').map((l) => l.name);
}

/**
 * A torchvision state-dict key as this zoo matches it: the `module.` prefix of
 * DataParallel checkpoints dropped, and the pre-0.4 names `norm.1` / `conv.2`
 * of torchvision's published DenseNet files rewritten to `norm1` / `conv2`, as
 * torchvision itself does on load.
 */
export function normalizeTorchvisionKey(key: string): string {
  const k = key.startsWith('module.') ? key.slice(7) : key;
  return k.replace(/^(.*denselayer\d+\.(?:norm|relu|conv))\.([12]\.(?:weight|bias|running_mean|running_var))$/, '$1$2');
}
