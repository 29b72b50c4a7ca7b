/**
 * One-call image classification with pretrained weights, as
 * `@tensorflow-models/mobilenet` users know it: the model, its eval transform
 * and its labels, bound by the weights tag.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { decodePredictions } from '../imagenet/decode.js';
import { IMAGENET_CLASSES } from '../imagenet/labels.js';
import { createModel } from '../models/create.js';
import type { DownloadOptions } from '../pretrained/download.js';
import { getPretrained } from '../pretrained/table.js';
import { transformBatch } from '../transforms/preprocess.js';
import type { Pixels } from '../transforms/resample.js';
import { getTransforms, type ImageTransform } from '../transforms/transform.js';
import type { FetchLike } from '../weights/source.js';
import { inputPixels, type ClassifierInput } from './inputs.js';

/** Options of {@link loadClassifier}. */
export interface ClassifierOptions {
  /** Weights download settings (cache folder, custom fetch, …). */
  download?: DownloadOptions;
  /** fetch used for images given as http(s) URLs. Default: global fetch. */
  fetch?: FetchLike;
}

/** Options of {@link Classifier.classify}. */
export interface ClassifyOptions {
  /** Classes per image, best first. Default 5. */
  topK?: number;
  /** Images per forward pass when classifying an array. Default 8. */
  batchSize?: number;
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
   */
  constructor(
    readonly model: LayersModel,
    readonly transform: ImageTransform,
    readonly labels: readonly string[],
    private readonly options: ClassifierOptions = {},
  ) {}

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
    if (!Number.isInteger(topK) || topK < 1) throw new Error(`classify: topK must be a positive integer, got ${topK}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`classify: batchSize must be a positive integer, got ${batchSize}`);
    const single = !Array.isArray(input);
    const images: Pixels[] = [];
    for (const x of single ? [input] : input) images.push(...(await inputPixels(x, { fetch: this.options.fetch })));
    if (single && images.length !== 1) {
      throw new Error(`classify: the tensor holds ${images.length} images; pass an array to classify a batch`);
    }
    const out: Classification[][] = [];
    for (let i = 0; i < images.length; i += batchSize) {
      const x = transformBatch(images.slice(i, i + batchSize), this.transform);
      const logits = this.model.predict(x) as tf.Tensor;
      try {
        const rows = await decodePredictions(logits, topK, this.labels);
        out.push(...rows.map((r) => r.map(({ label, index, probability }) => ({ label, index, probability }))));
      } finally {
        tf.dispose([x, logits]);
      }
    }
    return single ? out[0]! : out;
  }

  /** Frees the model's weights. */
  dispose(): void {
    this.model.dispose();
  }
}

/**
 * Downloads (or takes from the cache) pretrained weights `tag`, builds the
 * model and binds it to the weights' eval transform and labels.
 *
 * @example
 * ```ts
 * const clf = await loadClassifier('resnet50.tv2_in1k');
 * const top5 = await clf.classify('cat.jpg');   // [{ label, index, probability }, …] best first
 * ```
 */
export async function loadClassifier(tag: string, opts: ClassifierOptions = {}): Promise<Classifier> {
  const entry = getPretrained(tag);
  const transform = getTransforms(entry);
  const labels = entry.labels ?? (entry.numClasses === 1000 ? IMAGENET_CLASSES : Array.from({ length: entry.numClasses }, (_, i) => String(i)));
  if (labels.length !== entry.numClasses) {
    throw new Error(`loadClassifier: weights '${tag}' have ${entry.numClasses} classes but ${labels.length} labels; fix the entry's labels`);
  }
  const side = transform.cropSize;
  const model = await createModel(entry.model, {
    weights: tag,
    numClasses: entry.numClasses,
    inputShape: [side, side, 3],
    ...(opts.download ? { download: opts.download } : {}),
  });
  return new Classifier(model, transform, labels, opts);
}
