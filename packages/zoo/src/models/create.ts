/**
 * `createModel`: build a registered model, and with weights (a tag as the
 * name, `weights: tag`, or `pretrained: true`) load them, which makes it
 * async. The tag is resolved once (`resolvePretrained`) and its config travels
 * down to the download and the load. The return type follows the arguments:
 * a model, a promise of one, or, where the types cannot tell (a name typed
 * `string`), either.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { takeFeatures, type FeatureModel, type FeaturesOptions } from './features.js';
import type { ResponseLike } from '../net/fetch.js';
import { resolvePretrained, type PretrainedConfig } from '../pretrained/config.js';
import { downloadPretrained, type DownloadOptions } from '../pretrained/download.js';
import { hasPretrained, listPretrained } from '../pretrained/table.js';
import { readWeightsInput } from '../weights/input.js';
import { kerasReader } from '../weights/keras-reader.js';
import { loadWeights } from '../weights/load.js';
import type { WeightDtype } from '../spec/weights.js';
import type { LoadReport } from '../weights/report.js';
import type { ModelOptions } from './options.js';
import { buildModel, listModels, modelFamily } from './registry.js';

/**
 * Your own copy of a tag's weights file: a path or `file:` URL (Node), a URL
 * (relative ones in browsers), the bytes, or a fetch `Response`.
 */
export type WeightsInput = string | URL | ArrayBuffer | Uint8Array | ResponseLike;

/** Everything {@link createModel} takes: the model options, and what loads weights. */
export interface CreateModelOptions extends Omit<ModelOptions, 'weights'> {
  /**
   * With a model name: the tag of the weights to load (`'resnet50.tv2_in1k'`).
   * With a tag as the name: your own copy of that tag's file (a path, URL,
   * bytes or `Response`), loaded with the tag's model options; it is read,
   * not cached, and not hash-checked.
   */
  weights?: WeightsInput;
  /** Load the model's default weights (timm's `pretrained=True`; `defaultPretrained(name)`). */
  pretrained?: boolean;
  /** Download settings (cache, offline, progress, integrity, the fetch for a URL). */
  download?: DownloadOptions;
  /** Called with the load report (e.g. to see the skipped classifier) and whether the bytes were verified. */
  onReport?: (report: LoadReport, verified: boolean) => void;
  /** Load weights holding NaN / ±Inf instead of refusing them. Default false. */
  allowNonFinite?: boolean;
  /** Which file of the weights: `'fp32'` (default), or the tag's `'fp16'` / `'q8'` variant (dequantized to float32 at load). */
  dtype?: WeightDtype;
  /**
   * Your backend's start, e.g. `selectBackend('wasm')` (@resnet/backend) or
   * `tf.setBackend('wasm')`: the model is built once it resolves, while the
   * weights are read (cache or download) from the start, so the two overlap.
   * Without it the model is built on the backend active at the call. A
   * rejection (or a `false` from `tf.setBackend`) stops the read and is thrown.
   */
  backendReady?: PromiseLike<unknown>;
}

type Tag = `${string}.${string}`;
/** true / false when the name alone says whether it names weights (a dot), boolean when it cannot tell. */
type NamesWeights<N extends string> = string extends N ? boolean : N extends Tag ? true : false;
type Field<O, K extends PropertyKey> = K extends keyof O ? O[K] : undefined;
/** Whether the options load weights: true (surely), false (surely not), boolean (may). */
type OptionsLoad<O> = [Field<O, 'pretrained'>] extends [true]
  ? true
  : [Field<O, 'weights'>] extends [undefined]
    ? [Field<O, 'pretrained'>] extends [false | undefined]
      ? false
      : boolean
    : undefined extends Field<O, 'weights'>
      ? boolean
      : true;
/** Whether {@link createModel} loads weights (true), does not (false), or may (boolean). */
type Loads<N extends string, O> = [NamesWeights<N>] extends [true]
  ? true
  : [OptionsLoad<O>] extends [true]
    ? true
    : [NamesWeights<N>] extends [false]
      ? OptionsLoad<O>
      : boolean;
/** The model {@link createModel} builds for options `O`: a {@link FeatureModel} with `features`, else a `LayersModel`. */
type Built<O> = O extends { features: true | FeaturesOptions } ? FeatureModel : LayersModel;

/**
 * What `createModel(name, opts)` returns: the model when nothing loads weights
 * (a name without a dot, no `weights`, no `pretrained: true`), a promise of it
 * when something does, and either of the two when the types cannot tell (a
 * name typed `string`, options typed `CreateModelOptions`): `await` it.
 */
export type CreateModelResult<N extends string, O> = [Loads<N, O>] extends [true]
  ? Promise<Built<O>>
  : [Loads<N, O>] extends [false]
    ? Built<O>
    : Built<O> | Promise<Built<O>>;

/**
 * Options with no key {@link CreateModelOptions} lacks (a typo is a type error,
 * not a silent extra). In the signature it is intersected with the callbacks'
 * part of the options, which types their parameters while `O` is inferred.
 */
type Known<O> = O & { [K in Exclude<keyof O, keyof CreateModelOptions>]: never };

/**
 * Builds model `name`. Without weights it returns the model; with weights it
 * returns a promise of the model with those weights loaded (downloaded into
 * the cache and hash-checked first). Weights are asked for by a tag as the
 * name (`createModel('resnet50.tv2_in1k')`, as timm users write it), by
 * `weights: tag`, or by `pretrained: true` (the model's default weights,
 * torchvision's best: `createModel('resnet50', { pretrained: true })` loads
 * `'resnet50.tv2_in1k'`). A name with a dot always returns a promise. With a
 * tag as the name, `weights` may be your own copy of its file (a path, URL,
 * bytes or `Response`): `createModel('resnet50.tv2_in1k', { weights:
 * 'resnet50-finetuned.safetensors' })`. The weights' own model options apply
 * (their class count, the Keras weights' `variant: 'v1'`); a `numClasses`
 * other than the weights' keeps a fresh classifier (the rest is loaded), as
 * timm does. With `features`, the result is a {@link FeatureModel} (feature
 * maps and their `featureInfo`); pretrained weights are then loaded into the
 * whole backbone first.
 *
 * The static type is what the call returns: a `LayersModel` for a literal
 * name without a dot and no weights, a `Promise` for a tag or weights, and
 * the union of both for a name typed `string` (`await` works on either).
 *
 * @example
 * ```ts
 * const model = createModel('resnet50');                       // 224×224×3 → 1000 logits, untrained
 * const cifar = createModel('resnet20', { numClasses: 100 });  // 32×32×3 → 100 logits
 * const backbone = createModel('resnet50', { includeTop: false, pooling: 'avg' }); // [null, 2048] features
 * const pretrained = await createModel('resnet50.tv2_in1k');   // downloaded once, cached, hash-checked
 * const best = await createModel('resnet50', { pretrained: true }); // the default weights: resnet50.tv2_in1k
 * const name: string = process.argv[2] ?? 'resnet18';
 * const any = await createModel(name);                          // LayersModel | Promise<LayersModel>, awaited
 * ```
 */
export function createModel<const N extends string, const O extends CreateModelOptions = {}>(name: N, opts?: Known<O> & Pick<CreateModelOptions, 'onReport' | 'download'>): CreateModelResult<N, O>;
export function createModel(name: string, opts: CreateModelOptions = {}): LayersModel | Promise<LayersModel> {
  if (typeof name !== 'string') throw new Error(`createModel: name must be a model name or a weights tag (a string), got ${Object.prototype.toString.call(name)}`);
  if (!name.includes('.') && opts.weights === undefined && !opts.pretrained) {
    const { pretrained: _, ...rest } = opts;
    return buildModel(name, rest as ModelOptions);
  }
  return fromWeights(name, opts);
}

/** The pretrained path of {@link createModel}: the tag resolved once, then built and loaded. */
async function fromWeights(name: string, opts: CreateModelOptions): Promise<LayersModel> {
  const { weights, pretrained, ...rest } = opts;
  if (listModels().includes(name)) {
    // A model name (also a registered one with a dot in it): weights is a tag.
    if (weights === undefined && !pretrained) return buildModel(name, rest as ModelOptions);
    if (weights !== undefined && typeof weights !== 'string') throw notATag(name, weights);
    // An unknown tag of this model gets the unknown-tag error (listing its tags); anything else looks like a file.
    if (typeof weights === 'string' && !hasPretrained(weights) && !weights.startsWith(`${name}.`)) throw notATag(name, weights);
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
  if (!name.includes('.')) modelFamily(name); // throws "unknown model '…'; known: …"
  if (typeof weights === 'string' && weights !== name && hasPretrained(weights)) {
    throw new Error(`createModel('${name}', { weights: '${weights}' }): the name already names weights; pass one of them`);
  }
  if (pretrained === false) {
    throw new Error(`createModel('${name}', { pretrained: false }): the name is a weights tag; pass the model name for an untrained model`);
  }
  return loadPretrainedModel(resolvePretrained(name), rest, weights === name ? undefined : weights);
}

function notATag(name: string, weights: WeightsInput): Error {
  const what = typeof weights === 'string' ? `'${weights}'` : Object.prototype.toString.call(weights);
  const tag = listPretrained(name)[0];
  return new Error(
    `createModel('${name}', { weights: ${what} }): with a model name, weights is a pretrained tag (${tag ? `e.g. '${tag}'` : `no published weights for ${name}`}). ` +
      `To load your own file with a tag's model options, name the tag: createModel('${tag ?? `${name}.<tag>`}', { weights: <your file> }); ` +
      `a bare file loads with loadWeights(createModel('${name}'), <your file>, { from: 'torchvision' })`,
  );
}

/**
 * Builds the model of a resolved config with its model options (the caller's
 * options on top, except a contradicting `variant`), then loads the weights:
 * `file` (your own copy) when given, else the tag's file, downloaded or from
 * the cache. The model is disposed when the load fails.
 */
export async function loadPretrainedModel(cfg: PretrainedConfig, opts: Omit<CreateModelOptions, 'weights' | 'pretrained'>, file?: WeightsInput): Promise<LayersModel> {
  const { download, onReport, features, allowNonFinite, dtype, backendReady, ...modelOpts } = opts;
  if (dtype !== undefined && download?.dtype !== undefined && download.dtype !== dtype) {
    throw new Error(`weights '${cfg.tag}': dtype '${dtype}' and download.dtype '${download.dtype}' disagree; pass one`);
  }
  // Keras weights need the reader of '@resnet/zoo/keras': say so before building and downloading.
  if (cfg.entry.source.format === 'keras') kerasReader(`weights '${cfg.tag}'`);
  const variant = cfg.modelOptions.variant;
  if (variant && modelOpts.variant && modelOpts.variant !== variant) {
    throw new Error(`weights '${cfg.tag}' need variant '${variant}', got '${modelOpts.variant}'`);
  }
  // The read (a cache read, or a download and its hash) starts first and runs while the
  // backend starts and the model is built; when either of those fails, the read is aborted.
  const stop = new AbortController();
  const format = cfg.entry.source.format;
  const read: Promise<{ bytes: Uint8Array; verified: boolean }> =
    file === undefined
      ? downloadPretrained(cfg, { ...download, ...(dtype !== undefined ? { dtype } : {}), signal: anySignal(download?.signal, stop.signal) })
      : readWeightsInput(file, { tag: cfg.tag, format, fetch: download?.fetch }).then((bytes) => ({ bytes, verified: false }));
  read.catch(() => {}); // awaited below; a build failure aborts it first
  let model: LayersModel;
  try {
    if (backendReady !== undefined) await untilReady(backendReady, read, cfg.tag);
    // Conv kernels start at zero: the strict load below overwrites every one (or throws and
    // disposes the model), so drawing 25M random values first is wasted work (~1 s for
    // ResNet-50 on CPU). The classifier head keeps its own initializer (kept when the file's
    // class count differs). A caller's own kernelInitializer wins. A feature model may stop
    // before the last stage: load the whole backbone, then take the features from it.
    const given = Object.fromEntries(Object.entries(modelOpts).filter(([, v]) => v !== undefined)) as ModelOptions;
    model = buildModel(cfg.model, {
      kernelInitializer: 'zeros',
      ...cfg.modelOptions,
      ...given,
      ...(features ? { includeTop: false, pooling: null } : {}),
    });
  } catch (e) {
    stop.abort();
    throw e;
  }
  try {
    const { bytes, verified } = await read;
    const report = await loadWeights(model, bytes, { from: format, allowNonFinite });
    onReport?.(report, verified);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return features ? takeFeatures(model, features, modelOpts.name ?? cfg.model) : model;
}

/**
 * Waits for `ready` (the caller's backend start); fails as soon as it rejects or
 * resolves to `false` (tf.setBackend's "could not start"), or as soon as `read` fails.
 */
function untilReady(ready: PromiseLike<unknown>, read: Promise<unknown>, tag: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    Promise.resolve(ready).then((v) => {
      if (v === false) reject(new Error(`weights '${tag}': backendReady resolved to false (the backend did not start; tf.setBackend returns false when it cannot)`));
      else resolve();
    }, reject);
    read.catch(reject);
  });
}

/** A signal that aborts when either of `a` (the caller's, optional) and `b` does. */
function anySignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  if (!a) return b;
  const both = new AbortController();
  const forward = (s: AbortSignal) => () => both.abort(s.reason);
  if (a.aborted) both.abort(a.reason);
  else if (b.aborted) both.abort(b.reason);
  else {
    a.addEventListener('abort', forward(a), { once: true });
    b.addEventListener('abort', forward(b), { once: true });
  }
  return both.signal;
}
