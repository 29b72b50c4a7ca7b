/**
 * Feature extraction as timm's `features_only`: a model whose outputs are the
 * feature maps at chosen points of a backbone, and `featureInfo` (channels and
 * reduction of each). The points are found by the torchvision layer names the
 * builders give: the stem, then each stage (`layer1`…, DenseNet
 * `features.denseblock1`…) up to the final feature map.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';

type Layer = InstanceType<typeof tfl.layers.Layer>;

/** Which feature maps `features` returns. */
export interface FeaturesOptions {
  /**
   * Indices of the feature points, as timm: 0 = stem (after its ReLU), then one
   * per stage (ResNet `layer1`…`layer4`; DenseNet dense blocks, the last one
   * after `features.norm5`). Negative indices count from the end. Default: the
   * stages, without the stem (`[1, 2, 3, 4]` for ImageNet ResNets).
   */
  outIndices?: number[];
}

/** One output of a feature model. */
export interface FeatureInfo {
  /** The feature point's index (see {@link FeaturesOptions.outIndices}). */
  index: number;
  /** Name of the layer whose output it is. */
  module: string;
  /** Channels of the feature map. */
  channels: number;
  /** Input size ÷ feature map size (the product of the strides before it). */
  reduction: number;
}

/** A multi-output model of feature maps, with what each output is. */
export type FeatureModel = LayersModel & { readonly featureInfo: FeatureInfo[] };

function byName(model: LayersModel, name: string): Layer | undefined {
  return model.layers.find((l) => l.name === name);
}

/** The layer of module `prefix` whose output leaves the module (the stage's output). */
function moduleOutput(model: LayersModel, prefix: string): Layer | undefined {
  const inside = model.layers.filter((l) => l.name.startsWith(`${prefix}.`));
  const set = new Set(inside);
  return inside.find((l) => !l.outboundNodes.some((n) => set.has(n.outboundLayer as Layer)));
}

/** Every feature point of a zoo backbone, in index order. */
function featurePoints(model: LayersModel): Layer[] {
  const stem = byName(model, 'relu') ?? byName(model, 'features.relu0') ?? byName(model, 'conv1') ?? byName(model, 'features.conv0');
  const points: Layer[] = [];
  for (let k = 1; ; k++) {
    const stage = moduleOutput(model, `layer${k}`) ?? moduleOutput(model, `features.denseblock${k}`);
    if (!stage) break;
    points.push(stage);
  }
  // The last map is taken after the final norm where there is one (ResNet v2's 'norm', DenseNet's 'features.norm5', both + ReLU), as timm does.
  const final = byName(model, 'norm_relu') ?? byName(model, 'features.relu5');
  if (final && points.length) points[points.length - 1] = final;
  if (!stem || !points.length) {
    throw new Error(`features: model '${model.name}' has no zoo stage layers (layer1…, features.denseblock1…); build it with createModel`);
  }
  return [stem, ...points];
}

/** Product of the strides between the input and `layer`'s output, along one path (the paths into a junction agree). */
function reduction(layer: Layer): number {
  let r = 1;
  for (let l: Layer | undefined = layer; l; l = l.inboundNodes[0]?.inboundLayers[0] as Layer | undefined) {
    // Convs and pools, and the zero-pad shortcut, all keep their stride in their config.
    const s = (l.getConfig() as { strides?: number | number[] }).strides;
    if (s) r *= Array.isArray(s) ? s[0]! : s;
  }
  return r;
}

/** Resolves `outIndices` against `n` points: in range, negatives from the end, no repeats. */
function resolveIndices(model: string, outIndices: number[] | undefined, n: number): number[] {
  const idx = (outIndices ?? Array.from({ length: n - 1 }, (_, i) => i + 1)).map((i) => (Number.isInteger(i) && i < 0 ? n + i : i));
  if (!idx.length || idx.some((i) => !Number.isInteger(i) || i < 0 || i >= n) || new Set(idx).size !== idx.length) {
    throw new Error(`${model}: features.outIndices ${JSON.stringify(outIndices)} must be distinct integers in 0…${n - 1} (or −${n}…−1); this model has ${n} feature points`);
  }
  return idx;
}

/**
 * The feature model of `backbone` (a zoo model built without its classifier):
 * its outputs are the maps at `opts.outIndices`, in that order, and
 * `featureInfo` says what each one is. It shares `backbone`'s layers.
 *
 * @example
 * ```ts
 * const backbone = createModel('resnet18', { includeTop: false });
 * const fpn = featureModel(backbone, { outIndices: [2, 3, 4] });
 * fpn.featureInfo.map((f) => f.channels); // [128, 256, 512]
 * ```
 */
export function featureModel(backbone: LayersModel, opts: boolean | FeaturesOptions = true, name = backbone.name): FeatureModel {
  const points = featurePoints(backbone);
  const indices = resolveIndices(name, typeof opts === 'object' ? opts.outIndices : undefined, points.length);
  const chosen = indices.map((i) => points[i]!);
  const featureInfo = chosen.map((l, k) => ({
    index: indices[k]!,
    module: l.name,
    channels: (l.output as SymbolicTensor).shape[3] as number,
    reduction: reduction(l),
  }));
  const model = tfl.model({ inputs: backbone.inputs, outputs: chosen.map((l) => l.output as SymbolicTensor), name });
  return Object.assign(model, { featureInfo });
}

/**
 * {@link featureModel} for a backbone built only for it: the layers past the
 * last chosen point are disposed, so the result owns every weight left.
 */
export function takeFeatures(backbone: LayersModel, opts: boolean | FeaturesOptions, name: string): FeatureModel {
  const fm = featureModel(backbone, opts, name);
  const kept = new Set(fm.layers);
  for (const layer of backbone.layers) if (!kept.has(layer)) layer.dispose();
  return fm;
}

/**
 * The `featureInfo` of a feature model from `createModel(name, { features })`.
 *
 * @example
 * ```ts
 * const model = createModel('resnet50', { features: { outIndices: [1, 4] } });
 * getFeatureInfo(model); // [{ index: 1, module: 'layer1.2.relu', channels: 256, reduction: 4 }, { index: 4, …, channels: 2048, reduction: 32 }]
 * ```
 */
export function getFeatureInfo(model: LayersModel): FeatureInfo[] {
  const info = (model as Partial<FeatureModel>).featureInfo;
  if (!info) throw new Error(`getFeatureInfo: model '${model.name}' is not a feature model; build it with createModel(name, { features: { outIndices: [...] } })`);
  return info;
}
