/**
 * One-call image classification with pretrained weights, as
 * `@tensorflow-models/mobilenet` users know it: the model, its eval transform
 * and its labels, bound by the weights tag.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { decodePredictionsSync } from '../imagenet/decode.js';
import { loadPretrainedModel, type WeightsInput } from '../models/create.js';
import type { FetchLike } from '../net/fetch.js';
import { resolvePretrained } from '../pretrained/config.js';
import type { DownloadOptions } from '../pretrained/download.js';
import type { ImageTransform } from '../spec/transform.js';
import { transformBatch } from '../transforms/preprocess.js';
import type { Pixels } from '../transforms/resample.js';
import { inputPixels, type ClassifierInput } from './inputs.js';
import { checkPositiveInt, fuseForInference, type FusedInference } from '@resnet/blocks';
import type { WeightDtype } from '../spec/weights.js';

/** Options of {@link loadClassifier}. */
export interface ClassifierOptions {
  /**
   * Your own copy of the tag's weights file (a path or `file:` URL in Node, a
   * URL, relative ones in browsers, the bytes or a `Response`): loaded with the
   * tag's model options, eval transform and labels instead of downloading the
   * tag's file. Read as given: not cached, not hash-checked.
   */
  weights?: WeightsInput;
  /** Weights download settings (cache folder, custom fetch, …). */
  download?: DownloadOptions;
  /** Load weights holding NaN / ±Inf instead of refusing them. Default false. */
  allowNonFinite?: boolean;
  /** fetch used for images given as http(s) URLs. Default: global fetch. */
  fetch?: FetchLike;
  /** Which file of the weights: `'fp32'` (default), or the tag's `'fp16'` / `'q8'` variant (smaller downloads; computed in float32). */
  dtype?: WeightDtype;
  /**
   * Compile the model for inference with `fuseForInference` (@resnet/blocks):
   * BatchNorm folded into the convolutions, ReLU and residual additions in
   * their epilogue, folded in place (the model keeps no second copy of its
   * weights; `model.predict` still computes the same function, but its
   * parameters are the folded ones). Default true; false keeps `classify` on
   * `model.predict` and the trained parameters (use it if you train, save or
   * change the model's weights after loading).
   */
  fuse?: boolean;
  /**
   * Your backend's start (`selectBackend('wasm')`, `tf.setBackend('wasm')`): the
   * weights are read while it runs and the model is built once it resolves
   * (see `createModel`'s `backendReady`).
   */
  backendReady?: PromiseLike<unknown>;
}

/** Options of {@link Classifier.classify}. */
export interface ClassifyOptions {
  /** Classes per image, best first. Default 5. */
  topK?: number;
  /** Images per forward pass when classifying an array. Default 8. */
  batchSize?: number;
  /** Aborts the download of images given as URLs. */
  signal?: AbortSignal;
}

/** One class of a classification. */
export interface Classification {
  /** Class name. */
  label: string;
  /** Class index (the model output). */
  index: number;
  /** Softmax probability. */
  probability: number;
}

/**
 * A pretrained model with its eval transform and labels; from {@link loadClassifier}.
 *
 * @example
 * ```ts
 * const clf = await loadClassifier('resnet50.tv2_in1k');
 * const [cats, dogs] = await clf.classify(['cat.jpg', 'dog.png'], { topK: 3 }); // one batch
 * clf.model.summary(); // the network itself, with clf.transform and clf.labels
 * ```
 */
export class Classifier {
  /**
   * @param model - the network (raw logits out)
   * @param transform - its eval transform
   * @param labels - one name per output
   * @param options - loader options (the fetch for image URLs)
   * @param fused - the model compiled for inference, which `classify` then runs (and `dispose` frees)
   */
  constructor(
    readonly model: LayersModel,
    readonly transform: ImageTransform,
    readonly labels: readonly string[],
    private readonly options: ClassifierOptions = {},
    private readonly fused: FusedInference | null = null,
  ) {}

  /** True when `classify` runs the fused inference pass (see {@link ClassifierOptions.fuse}). */
  get isFused(): boolean {
    return this.fused !== null;
  }

  /**
   * The `topK` most likely classes of an image, best first; of each image for
   * an array. Decoding and preprocessing run on the CPU; every tensor made
   * here is disposed (the caller's input tensors are left alone).
   */
  // The array overload comes first: without the DOM lib, the browser types in ClassifierInput are `any`.
  classify(inputs: ClassifierInput[], opts?: ClassifyOptions): Promise<Classification[][]>;
  classify(input: ClassifierInput, opts?: ClassifyOptions): Promise<Classification[]>;
  async classify(input: ClassifierInput | ClassifierInput[], opts: ClassifyOptions = {}): Promise<Classification[] | Classification[][]> {
    const topK = opts.topK ?? 5;
    const batchSize = opts.batchSize ?? 8;
    checkPositiveInt(topK, 'classify: topK');
    checkPositiveInt(batchSize, 'classify: batchSize');
    const single = !Array.isArray(input);
    const images: Pixels[] = [];
    for (const x of single ? [input] : input) images.push(...(await inputPixels(x, { fetch: this.options.fetch, ...(opts.signal ? { signal: opts.signal } : {}) })));
    if (single && images.length !== 1) {
      throw new Error(`classify: the tensor holds ${images.length} images; pass an array to classify a batch`);
    }
    const out: Classification[][] = [];
    for (let i = 0; i < images.length; i += batchSize) {
      const x = transformBatch(images.slice(i, i + batchSize), this.transform);
      const logits = (this.fused ? this.fused.predict(x) : this.model.predict(x)) as tf.Tensor;
      try {
        const [n, classes] = logits.shape as [number, number];
        const flat = await logits.data();
        let bad = 0;
        for (let j = 0; j < flat.length; j++) if (!Number.isFinite(flat[j]!)) bad++;
        if (bad) {
          throw new Error(
            `classify: the model gave ${bad} non-finite logits (NaN or ±Inf) for ${n} image(s); its weights are broken ` +
              '(were they loaded with allowNonFinite: true?) — no probabilities returned',
          );
        }
        const rows = decodePredictionsSync(Array.from({ length: n }, (_, j) => Array.from(flat.subarray(j * classes, (j + 1) * classes))), topK, this.labels);
        out.push(...rows.map((r) => r.map(({ label, index, probability }) => ({ label, index, probability }))));
      } finally {
        tf.dispose([x, logits]);
      }
    }
    return single ? out[0]! : out;
  }

  /** Frees the model's weights. */
  dispose(): void {
    this.fused?.dispose();
    this.model.dispose();
  }
}

/**
 * Downloads (or takes from the cache) pretrained weights `tag`, builds the
 * model and binds it to the weights' eval transform and labels. A model name
 * instead of a tag takes its default weights (`loadClassifier('resnet50')` is
 * `loadClassifier('resnet50.tv2_in1k')`; see `defaultPretrained`). With
 * `weights`, your own copy of the file loads instead of the tag's download,
 * still with the tag's transform and labels.
 *
 * @example
 * ```ts
 * const clf = await loadClassifier('resnet50.tv2_in1k');
 * const top5 = await clf.classify('cat.jpg');   // [{ label, index, probability }, …] best first
 * const mine = await loadClassifier('resnet50.tv2_in1k', { weights: 'resnet50-copy.safetensors' }); // your own copy of the file
 * ```
 */
export async function loadClassifier(tag: string, opts: ClassifierOptions = {}): Promise<Classifier> {
  const cfg = resolvePretrained(tag); // its labels were checked against numClasses when it was registered
  const side = cfg.transform.cropSize;
  const model = await loadPretrainedModel(
    cfg,
    {
      ...(side !== null ? { inputShape: [side, side, 3] as [number, number, number] } : {}),
      ...(opts.download ? { download: opts.download } : {}),
      ...(opts.allowNonFinite ? { allowNonFinite: true } : {}),
      ...(opts.dtype !== undefined ? { dtype: opts.dtype } : {}),
      ...(opts.backendReady !== undefined ? { backendReady: opts.backendReady } : {}),
    },
    opts.weights,
  );
  let fused: FusedInference | null = null;
  if (opts.fuse ?? true) {
    try {
      fused = fuseForInference(model);
    } catch (e) {
      model.dispose();
      throw e;
    }
  }
  return new Classifier(model, cfg.transform, cfg.labels, opts, fused);
}
