/**
 * `createModel`: build a registered model, and with `weights` (or a tag as the
 * name, or `pretrained: true`) download and load published weights, which
 * makes it async. The tag is resolved once (`resolvePretrained`) and its
 * config travels down to the download and the load.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { takeFeatures, type FeatureModel, type FeaturesOptions } from './features.js';
import { resolvePretrained, type PretrainedConfig } from '../pretrained/config.js';
import { downloadPretrained, type DownloadOptions } from '../pretrained/download.js';
import { listPretrained } from '../pretrained/table.js';
import { kerasReader } from '../weights/keras-reader.js';
import { loadWeights } from '../weights/load.js';
import type { LoadReport } from '../weights/report.js';
import type { ModelOptions } from './options.js';
import type { WeightDtype } from '../spec/weights.js';
import { buildModel, listModels } from './registry.js';

/** Options of {@link createModel} with pretrained weights. */
export interface PretrainedModelOptions extends ModelOptions {
  /** Tag of the weights, e.g. `'resnet50.tv_in1k'` (see `listPretrained()`). */
  weights: string;
  /** Download settings (cache, offline, progress, integrity). */
  download?: DownloadOptions;
  /** Called with the load report (e.g. to see the skipped classifier) and whether the bytes were verified. */
  onReport?: (report: LoadReport, verified: boolean) => void;
  /** Which file of the weights: `'fp32'` (default), or the tag's `'fp16'` / `'q8'` variant (dequantized to float32 at load). */
  dtype?: WeightDtype;
}

/**
 * Options of {@link createModel} when the name is a pretrained tag (timm's
 * `create_model('resnet50.tv2_in1k')`), or a model name with `pretrained: true`
 * (its default weights, `defaultPretrained(name)`).
 */
export type PretrainedTagOptions = Omit<PretrainedModelOptions, 'weights'> & {
  weights?: string;
  /** Load the model's default weights (timm's `pretrained=True`). */
  pretrained?: boolean;
};

/**
 * Builds model `name`. Without weights it returns the model; with weights it
 * returns a promise of the model with those weights loaded (downloaded into
 * the cache and hash-checked first). Weights are asked for by a tag as the
 * name (`createModel('resnet50.tv2_in1k')`, as timm users write it), by
 * `weights: tag`, or by `pretrained: true` (the model's default weights,
 * torchvision's best: `createModel('resnet50', { pretrained: true })` loads
 * `'resnet50.tv2_in1k'`). A name with a dot always returns a promise. The
 * weights' own model options apply (their class count, the Keras weights'
 * `variant: 'v1'`); a `numClasses` other than the weights' keeps a fresh
 * classifier (the rest is loaded), as timm does. With `features`, the result
 * is a {@link FeatureModel} (feature maps and their `featureInfo`);
 * pretrained weights are then loaded into the whole backbone first.
 *
 * @example
 * ```ts
 * const model = createModel('resnet50');                       // 224×224×3 → 1000 logits, untrained
 * const cifar = createModel('resnet20', { numClasses: 100 });  // 32×32×3 → 100 logits
 * const backbone = createModel('resnet50', { includeTop: false, pooling: 'avg' }); // [null, 2048] features
 * const pretrained = await createModel('resnet50.tv2_in1k');   // downloaded once, cached, hash-checked
 * const best = await createModel('resnet50', { pretrained: true }); // the default weights: resnet50.tv2_in1k
 * ```
 */
export function createModel(name: string, opts: PretrainedModelOptions & { features: true | FeaturesOptions }): Promise<FeatureModel>;
export function createModel(name: `${string}.${string}`, opts?: PretrainedTagOptions): Promise<LayersModel>;
export function createModel(name: string, opts: PretrainedModelOptions): Promise<LayersModel>;
export function createModel(name: string, opts: PretrainedTagOptions & { pretrained: true }): Promise<LayersModel>;
export function createModel(name: string, opts: ModelOptions & { weights?: undefined; features: true | FeaturesOptions }): FeatureModel;
export function createModel(name: string, opts?: ModelOptions & { weights?: undefined }): LayersModel;
export function createModel(name: string, opts: ModelOptions | PretrainedTagOptions = {}): LayersModel | Promise<LayersModel> {
  const o = opts as PretrainedTagOptions;
  if (!name.includes('.') && o.weights === undefined && !o.pretrained) {
    const { pretrained: _, ...rest } = o;
    return buildModel(name, rest);
  }
  return fromWeights(name, o);
}

/** The pretrained path of {@link createModel}: the tag resolved once, then built and loaded. */
async function fromWeights(name: string, opts: PretrainedTagOptions): Promise<LayersModel> {
  const { weights, pretrained, ...rest } = opts;
  if (listModels().includes(name)) {
    // A model name (also a registered one with a dot in it).
    if (weights === undefined && !pretrained) return buildModel(name, rest);
    const cfg = resolvePretrained(weights ?? name);
    if (cfg.model !== name) {
      const fit = listPretrained(name);
      throw new Error(
        `weights '${cfg.tag}' are for model '${cfg.model}', not '${name}'; ` +
          (fit.length ? `weights for ${name}: ${fit.join(', ')}` : `no published weights for ${name}`),
      );
    }
    return loadPretrainedModel(cfg, rest);
  }
  if (weights !== undefined && weights !== name) {
    throw new Error(`createModel('${name}', { weights: '${weights}' }): the name already names weights; pass one of them`);
  }
  if (pretrained === false) {
    throw new Error(`createModel('${name}', { pretrained: false }): the name is a weights tag; pass the model name for an untrained model`);
  }
  return loadPretrainedModel(resolvePretrained(name), rest);
}

/** Options of {@link loadPretrainedModel}: model options over the weights' own, and the download and report settings. */
type LoadPretrainedOptions = Omit<PretrainedModelOptions, 'weights'>;

/**
 * Builds the model of a resolved config with its model options (the caller's
 * options on top, except a contradicting `variant`), downloads and loads the
 * weights. The model is disposed when the load fails.
 */
export async function loadPretrainedModel(cfg: PretrainedConfig, opts: LoadPretrainedOptions): Promise<LayersModel> {
  const { download, onReport, features, dtype, ...modelOpts } = opts;
  if (dtype !== undefined && download?.dtype !== undefined && download.dtype !== dtype) {
    throw new Error(`weights '${cfg.tag}': dtype '${dtype}' and download.dtype '${download.dtype}' disagree; pass one`);
  }
  const variant = cfg.modelOptions.variant;
  if (variant && modelOpts.variant && modelOpts.variant !== variant) {
    throw new Error(`weights '${cfg.tag}' need variant '${variant}', got '${modelOpts.variant}'`);
  }
  // Keras weights need the reader of '@resnet/zoo/keras': say so before building and downloading.
  if (cfg.entry.format === 'keras') kerasReader(`weights '${cfg.tag}'`);
  // Build first: a bad option fails before a 100 MB download. A feature model may stop
  // before the last stage: load the whole backbone, then take the features from it.
  const given = Object.fromEntries(Object.entries(modelOpts).filter(([, v]) => v !== undefined)) as ModelOptions;
  const model = buildModel(cfg.model, { ...cfg.modelOptions, ...given, ...(features ? { includeTop: false, pooling: null } : {}) });
  try {
    const { bytes, verified } = await downloadPretrained(cfg, dtype !== undefined ? { ...download, dtype } : download);
    const report = await loadWeights(model, bytes, { from: cfg.entry.format });
    onReport?.(report, verified);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return features ? takeFeatures(model, features, modelOpts.name ?? cfg.model) : model;
}
