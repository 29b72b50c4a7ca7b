/**
 * `createModel`: build a registered model, and with `weights` download and
 * load published weights (which makes it async).
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { takeFeatures, type FeatureModel, type FeaturesOptions } from './features.js';
import { downloadPretrained, type DownloadOptions } from '../pretrained/download.js';
import { getPretrained } from '../pretrained/table.js';
import { loadWeights } from '../weights/load.js';
import type { LoadReport } from '../weights/report.js';
import type { ModelOptions } from './options.js';
import { buildModel } from './registry.js';

/** Options of {@link createModel} with pretrained weights. */
export interface PretrainedModelOptions extends ModelOptions {
  /** Tag of the weights, e.g. `'resnet50.tv_in1k'` (see `listPretrained()`). */
  weights: string;
  /** Download settings (cache folder, custom fetch). */
  download?: DownloadOptions;
  /** Called with the load report (e.g. to see the skipped classifier). */
  onReport?: (report: LoadReport, verified: boolean) => void;
}

/**
 * Builds model `name`. Without `weights` it returns the model; with `weights`
 * it returns a promise of the model with those weights loaded (downloaded into
 * the cache and hash-checked first). A `numClasses` other than the weights'
 * keeps a fresh classifier (the rest is loaded), as timm does. With
 * `features`, the result is a {@link FeatureModel} (feature maps and their
 * `featureInfo`); pretrained weights are then loaded into the whole backbone first.
 */
export function createModel(name: string, opts: PretrainedModelOptions & { features: true | FeaturesOptions }): Promise<FeatureModel>;
export function createModel(name: string, opts: PretrainedModelOptions): Promise<LayersModel>;
export function createModel(name: string, opts: ModelOptions & { weights?: undefined; features: true | FeaturesOptions }): FeatureModel;
export function createModel(name: string, opts?: ModelOptions & { weights?: undefined }): LayersModel;
export function createModel(name: string, opts: ModelOptions | PretrainedModelOptions = {}): LayersModel | Promise<LayersModel> {
  if (opts.weights === undefined) return buildModel(name, opts);
  return createPretrained(name, opts as PretrainedModelOptions);
}

async function createPretrained(name: string, opts: PretrainedModelOptions): Promise<LayersModel> {
  const { weights, download, onReport, ...modelOpts } = opts;
  const entry = getPretrained(weights);
  if (entry.model !== name) {
    throw new Error(`weights '${weights}' are for model '${entry.model}', not '${name}'`);
  }
  const variant = entry.modelOptions?.variant;
  if (variant && modelOpts.variant && modelOpts.variant !== variant) {
    throw new Error(`weights '${weights}' need variant '${variant}', got '${modelOpts.variant}'`);
  }
  const { bytes, verified } = await downloadPretrained(weights, download);
  const { features, ...rest } = modelOpts;
  // A feature model may stop before the last stage: load the whole backbone, then take the features from it.
  const model = buildModel(name, { ...rest, ...(variant ? { variant } : {}), ...(features ? { includeTop: false, pooling: null } : {}) });
  try {
    const report = await loadWeights(model, bytes, { from: entry.format });
    onReport?.(report, verified);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return features ? takeFeatures(model, features, modelOpts.name ?? name) : model;
}
