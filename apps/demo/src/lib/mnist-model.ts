// The shipped MNIST models (ResNet and its plain twin) and the held-out MNIST
// digits they are evaluated on. Everything is fetched relative to a base URL
// (the page's folder), so the static build works from any folder and the
// compute worker can load the same files.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
// Importing the package registers its custom layers (ResidualAdd, …) so
// loadLayersModel can rebuild the saved models.
import '@resnet/blocks';

/** What scripts/write-mnist-meta.mjs wrote beside the exported models: how inputs were prepared in training. */
export interface MnistMeta {
  /** Side of the model input; 28×28 digits are zero-padded equally to it. */
  inputSize: number;
  /** Input normalisation used in training: (x − mean) / std on 0..1 pixels. */
  mean: number;
  std: number;
  /** Human-readable description of the training run (command, data, epochs). */
  trainedWith: string;
}

/** Held-out digits: `images[i]` is 784 values in 0..1, `labels[i]` its class. */
export interface TestDigits {
  count: number;
  images: Float32Array[];
  labels: number[];
  source: string;
}

/** The ResNet, its plain twin (when asked for) and their metadata. */
export interface MnistModels {
  resnet: tfl.LayersModel;
  plain: tfl.LayersModel | null;
  meta: MnistMeta;
}

/** Class probabilities and the three most likely classes. */
export interface Prediction {
  probs: number[];
  top: Array<{ label: number; prob: number }>;
}

async function fetchOk(base: string, path: string): Promise<Response> {
  const r = await fetch(new URL(path, base));
  if (!r.ok) throw new Error(`could not load ${path}: HTTP ${r.status}`);
  return r;
}

/** Loads the MNIST ResNet (and, unless `withPlain` is false, its plain twin) and their metadata from `base` (a folder URL). */
export async function loadMnistModels(base: string, withPlain = true): Promise<MnistModels> {
  const meta = (await (await fetchOk(base, 'models/mnist-meta.json')).json()) as MnistMeta;
  const [resnet, plain] = await Promise.all([
    tfl.loadLayersModel(new URL('models/mnist-resnet/model.json', base).href),
    withPlain ? tfl.loadLayersModel(new URL('models/mnist-plain/model.json', base).href) : null,
  ]);
  return { resnet, plain, meta };
}

/** Loads the held-out MNIST test digits shipped with the page. */
export async function loadTestDigits(base: string): Promise<TestDigits> {
  const info = (await (await fetchOk(base, 'data/mnist-test.json')).json()) as { labels: number[]; source: string };
  const bytes = new Uint8Array(await (await fetchOk(base, 'data/mnist-test.bin')).arrayBuffer());
  const count = info.labels.length;
  if (bytes.length !== count * 784) throw new Error(`data/mnist-test.bin holds ${bytes.length} bytes; expected ${count} × 784`);
  const images = Array.from({ length: count }, (_, i) => Float32Array.from(bytes.subarray(i * 784, (i + 1) * 784), (b) => b / 255));
  return { count, images, labels: info.labels, source: info.source };
}

/** A batch of 28×28 digits (0..1) as the model's input: normalised as in training, padded to `inputSize`. */
export function toInput(batch: Float32Array[], meta: MnistMeta): tf.Tensor4D {
  const { inputSize, mean, std } = meta;
  const pad = (inputSize - 28) / 2;
  return tf.tidy(() => {
    const flat = new Float32Array(batch.length * 784);
    batch.forEach((d, i) => flat.set(d, i * 784));
    const x = tf.div(tf.sub(tf.tensor4d(flat, [batch.length, 28, 28, 1]), mean), std) as tf.Tensor4D;
    // resnet-train pads after normalising, with the value a blank pixel normalises to.
    return pad > 0 ? tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]], (0 - mean) / std) : x;
  });
}

/** Classifies one 28×28 digit (values 0..1, ink = 1). */
export async function classify(models: MnistModels, digit: Float32Array): Promise<Prediction> {
  const probsT = tf.tidy(() => tf.softmax(models.resnet.predict(toInput([digit], models.meta)) as tf.Tensor2D));
  const probs = Array.from(await probsT.data());
  probsT.dispose();
  const top = probs
    .map((prob, label) => ({ label, prob }))
    .sort((a, b) => b.prob - a.prob)
    .slice(0, 3);
  return { probs, top };
}
