// The shipped MNIST models (ResNet and its plain twin) and the held-out MNIST
// digits the page evaluates them on. Paths are relative so the static build
// works from any folder.
import * as tf from '@tensorflow/tfjs';
// Importing the packages registers their custom layers (ResidualAdd, …) so
// tf.loadLayersModel can rebuild the saved models.
import '@resnet/blocks';

/** What scripts/ wrote beside the exported models: how inputs were prepared in training. */
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

/** Class probabilities and the three most likely classes. */
export interface Prediction {
  probs: number[];
  top: Array<{ label: number; prob: number }>;
}

const base = new URL('./', document.baseURI);

let models: Promise<{ resnet: tf.LayersModel; plain: tf.LayersModel; meta: MnistMeta }> | null = null;
let digits: Promise<TestDigits> | null = null;
let meta: MnistMeta | null = null;

async function fetchOk(path: string): Promise<Response> {
  const r = await fetch(new URL(path, base));
  if (!r.ok) throw new Error(`could not load ${path}: HTTP ${r.status}`);
  return r;
}

/** Loads (once) the ResNet and plain MNIST models and their metadata. */
export function loadMnistModels(): Promise<{ resnet: tf.LayersModel; plain: tf.LayersModel; meta: MnistMeta }> {
  models ??= (async () => {
    meta = (await (await fetchOk('models/mnist-meta.json')).json()) as MnistMeta;
    const [resnet, plain] = await Promise.all([
      tf.loadLayersModel(new URL('models/mnist-resnet/model.json', base).href),
      tf.loadLayersModel(new URL('models/mnist-plain/model.json', base).href),
    ]);
    return { resnet, plain, meta };
  })();
  return models;
}

/** Loads (once) the held-out MNIST test digits shipped with the page. */
export function loadTestDigits(): Promise<TestDigits> {
  digits ??= (async () => {
    const info = (await (await fetchOk('data/mnist-test.json')).json()) as { labels: number[]; source: string };
    const bytes = new Uint8Array(await (await fetchOk('data/mnist-test.bin')).arrayBuffer());
    const count = info.labels.length;
    if (bytes.length !== count * 784) throw new Error(`data/mnist-test.bin holds ${bytes.length} bytes; expected ${count} × 784`);
    const images = Array.from({ length: count }, (_, i) => Float32Array.from(bytes.subarray(i * 784, (i + 1) * 784), (b) => b / 255));
    return { count, images, labels: info.labels, source: info.source };
  })();
  return digits;
}

/** A batch of 28×28 digits as the model's input: padded to `inputSize`, normalised. */
export function toInput(batch: Float32Array[]): tf.Tensor4D {
  if (!meta) throw new Error('loadMnistModels() must finish before toInput()');
  const { inputSize, mean, std } = meta;
  const pad = (inputSize - 28) / 2;
  return tf.tidy(() => {
    const flat = new Float32Array(batch.length * 784);
    batch.forEach((d, i) => flat.set(d, i * 784));
    const x = tf.tensor4d(flat, [batch.length, 28, 28, 1]).sub(mean).div(std) as tf.Tensor4D;
    // Padding happens after normalising, with the value a blank pixel normalises to.
    return pad > 0 ? x.pad([[0, 0], [pad, pad], [pad, pad], [0, 0]], (0 - mean) / std) : x;
  });
}

/** Classifies one 28×28 digit (values 0..1, ink = 1). */
export async function classify(model: tf.LayersModel, digit: Float32Array): Promise<Prediction> {
  const probsT = tf.tidy(() => tf.softmax(model.predict(toInput([digit])) as tf.Tensor2D));
  const probs = Array.from(await probsT.data());
  probsT.dispose();
  const top = probs
    .map((prob, label) => ({ label, prob }))
    .sort((a, b) => b.prob - a.prob)
    .slice(0, 3);
  return { probs, top };
}
