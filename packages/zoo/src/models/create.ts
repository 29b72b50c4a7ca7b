/**
 * `createModel`: build a registered model, and with `weights` download and
 * load published weights (which makes it async).
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { takeFeatures, type FeatureModel, type FeaturesOptions } from './features.js';
import { downloadPretrained, type DownloadOptions } from '../pretrained/download.js';
import { getPretrained, listPretrained } from '../pretrained/table.js';
import { loadWeights } from '../weights/load.js';
import type { LoadReport } from '../weights/report.js';
import type { ModelOptions } from './options.js';
import { buildModel, listModels } from './registry.js';

/** Options of {@link createModel} with pretrained weights. */
export interface PretrainedModelOptions extends ModelOptions {
  /** Tag of the weights, e.g. `'resnet50.tv_in1k'` (see `listPretrained()`). */
  weights: string;
  /** Download settings (cache, offline, progress, integrity). */
  download?: DownloadOptions;
  /** Called with the load report (e.g. to see the skipped classifier) and whether the bytes were verified. */
  onReport?: (report: LoadReport, verified: boolean) => void;
}

/** Options of {@link createModel} when the name is a pretrained tag (timm's `create_model('resnet50.tv2_in1k')`). */
export type PretrainedTagOptions = Omit<PretrainedModelOptions, 'weights'> & { weights?: string };

/**
 * Builds model `name`. Without `weights` it returns the model; with `weights`
 * it returns a promise of the model with those weights loaded (downloaded into
 * the cache and hash-checked first). A pretrained tag as the name
 * (`createModel('resnet50.tv2_in1k')`, as timm users write it) is the same as
 * `createModel('resnet50', { weights: 'resnet50.tv2_in1k' })`: a name with a
 * dot always returns a promise. A `numClasses` other than the weights' keeps a
 * fresh classifier (the rest is loaded), as timm does. With `features`, the
 * result is a {@link FeatureModel} (feature maps and their `featureInfo`);
 * pretrained weights are then loaded into the whole backbone first.
 *
 * @example
 * ```ts
 * const model = createModel('resnet50');                       // 224×224×3 → 1000 logits, untrained
 * const cifar = createModel('resnet20', { numClasses: 100 });  // 32×32×3 → 100 logits
 * const backbone = createModel('resnet50', { includeTop: false, pooling: 'avg' }); // [null, 2048] features
 * const pretrained = await createModel('resnet50.tv2_in1k');   // downloaded once, cached, hash-checked
 * ```
 */
export function createModel(name: string, opts: PretrainedModelOptions & { features: true | FeaturesOptions }): Promise<FeatureModel>;
export function createModel(name: `${string}.${string}`, opts?: PretrainedTagOptions): Promise<LayersModel>;
export function createModel(name: string, opts: PretrainedModelOptions): Promise<LayersModel>;
export function createModel(name: string, opts: ModelOptions & { weights?: undefined; features: true | FeaturesOptions }): FeatureModel;
export function createModel(name: string, opts?: ModelOptions & { weights?: undefined }): LayersModel;
export function createModel(name: string, opts: ModelOptions | PretrainedTagOptions = {}): LayersModel | Promise<LayersModel> {
  if (name.includes('.')) return fromTag(name, opts as PretrainedTagOptions);
  if (opts.weights === undefined) return buildModel(name, opts);
  return createPretrained(name, opts as PretrainedModelOptions);
}

async function fromTag(tag: string, opts: PretrainedTagOptions): Promise<LayersModel> {
  if (listModels().includes(tag)) {
    return opts.weights === undefined ? buildModel(tag, opts) : createPretrained(tag, opts as PretrainedModelOptions);
  }
  if (opts.weights !== undefined && opts.weights !== tag) {
    throw new Error(`createModel('${tag}', { weights: '${opts.weights}' }): the name already names weights; pass one of them`);
  }
  return createPretrained(getPretrained(tag).model, { ...opts, weights: tag });
}

async function createPretrained(name: string, opts: PretrainedModelOptions): Promise<LayersModel> {
  const { weights, download, onReport, ...modelOpts } = opts;
  const entry = getPretrained(weights);
  if (entry.model !== name) {
    const fit = listPretrained(name);
    throw new Error(
      `weights '${weights}' are for model '${entry.model}', not '${name}'; ` +
        (fit.length ? `weights for ${name}: ${fit.join(', ')}` : `no published weights for ${name}`),
    );
  }
  const variant = entry.modelOptions?.variant;
  if (variant && modelOpts.variant && modelOpts.variant !== variant) {
    throw new Error(`weights '${weights}' need variant '${variant}', got '${modelOpts.variant}'`);
  }
  const { features, ...rest } = modelOpts;
  // Build first: a bad option fails before a 100 MB download. A feature model may stop
  // before the last stage: load the whole backbone, then take the features from it.
  const model = buildModel(name, { ...rest, ...(variant ? { variant } : {}), ...(features ? { includeTop: false, pooling: null } : {}) });
  try {
    const { bytes, verified } = await downloadPretrained(weights, download);
    const report = await loadWeights(model, bytes, { from: entry.format });
    onReport?.(report, verified);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return features ? takeFeatures(model, features, modelOpts.name ?? name) : model;
}
