/**
 * Transfer learning, both common recipes, from torchvision ImageNet weights:
 *
 * 1. torchvision's: load the pretrained weights into a model with a new number
 *    of classes (the 1000-class `fc` is skipped, and the report says so), then
 *    fine-tune everything.
 * 2. Keras': the pretrained backbone without its top (`includeTop: false,
 *    pooling: 'avg'`), frozen, with a new `Dense(10)` head; only the head trains.
 *
 *   pnpm tsx examples/transfer-learning.ts --weights resnet18.safetensors   # 10-class MNIST digits, 32×32
 *   pnpm tsx examples/transfer-learning.ts --tiny                            # self-made weights file, 2 steps
 *
 * See classify-image.ts for how to get a torchvision safetensors file. Without
 * --weights the example writes a randomly initialised ResNet-18 state dict with
 * `exportWeights` and uses that: same code path, no download.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { createModel, exportWeights, loadWeights } from '@resnet/zoo';
import { mnistAsCifar } from './lib/mnist.js';

const { values: args } = parseArgs({
  options: { weights: { type: 'string' }, tiny: { type: 'boolean', default: false } },
});
tf.enableProdMode();
const backend = await selectBackend('wasm');
console.log(`backend: ${backend.name} (${backend.device})`);

// The digits stand in for "your 10-class data set"; ImageNet ResNets take any input ≥ 32×32.
const inputShape: [number, number, number] = [32, 32, 3];
const train = mnistAsCifar(args.tiny ? 4 : 100, 0);
const test = mnistAsCifar(args.tiny ? 2 : 20, 500);
const epochs = args.tiny ? 1 : 3;
const batchSize = args.tiny ? 20 : 50;
const loss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred);
const accuracy = (m: tf.LayersModel) =>
  tf.tidy(() => (m.predict(test.xs) as tf.Tensor).argMax(1).equal(test.ys.argMax(1)).mean().dataSync()[0]!);
/** Copies of every weight's values, by weight name. */
const snapshot = (ws: tf.LayerVariable[]) => new Map(ws.map((w) => [w.name, w.read().dataSync().slice()]));
const changed = (before: Map<string, Float32Array | Int32Array | Uint8Array>, ws: tf.LayerVariable[]) =>
  ws.filter((w) => w.read().dataSync().some((v, i) => v !== before.get(w.name)![i])).map((w) => w.name);

const tmp = mkdtempSync(join(tmpdir(), 'resnet-transfer-'));
try {
  let weights = args.weights;
  if (!weights) {
    weights = join(tmp, 'resnet18-random-init.safetensors');
    writeFileSync(weights, exportWeights(createModel('resnet18'), { to: 'torchvision' }));
    console.log(`no --weights: using a randomly initialised resnet18 state dict (${weights})`);
  }

  // --- Recipe 1 (torchvision): new 10-class fc, fine-tune everything ---
  const tv = createModel('resnet18', { numClasses: 10, inputShape });
  const report = await loadWeights(tv, weights, { from: 'torchvision' });
  console.log(`\n[torchvision recipe] loaded ${report.loaded.length} tensors; skipped ${report.skipped.join(', ')}`);
  for (const note of report.notes) console.log(`  note: ${note}`);
  if (!report.skipped.includes('fc.weight')) throw new Error('expected the 1000-class fc to be skipped for a 10-class model');
  tv.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss });
  const tvBefore = snapshot(tv.trainableWeights);
  let h = await tv.fit(train.xs, train.ys, { epochs, batchSize, verbose: 0 });
  const tvChanged = changed(tvBefore, tv.trainableWeights);
  console.log(`  loss ${(h.history.loss as number[]).map((l) => l.toFixed(3)).join(' → ')}; ${tvChanged.length}/${tv.trainableWeights.length} trainable weights changed; test accuracy ${(accuracy(tv) * 100).toFixed(1)}%`);
  if (tvChanged.length !== tv.trainableWeights.length) throw new Error('fine-tuning should update every trainable weight');

  // --- Recipe 2 (Keras): frozen backbone, global average pooling, new Dense(10) ---
  const base = createModel('resnet18', { includeTop: false, pooling: 'avg', inputShape });
  const baseReport = await loadWeights(base, weights, { from: 'torchvision' });
  console.log(`\n[Keras recipe] backbone: loaded ${baseReport.loaded.length} tensors; ${baseReport.notes.join('; ')}`);
  for (const layer of base.layers) layer.trainable = false;
  // tfjs differs from Keras here: a BatchNormalization layer updates its moving
  // statistics whenever it runs in training mode, even with trainable = false and
  // even inside a model applied with { training: false }. So fit() through the
  // frozen backbone would still change it. Compute the features once, in
  // inference mode, and train the head on them (faster, too).
  const frozen = snapshot(base.weights);
  const featTrain = base.predict(train.xs) as tf.Tensor2D;
  const head = tf.sequential({ layers: [tf.layers.dense({ units: 10, inputShape: [featTrain.shape[1]], name: 'head' })] });
  head.compile({ optimizer: tf.train.adam(1e-3), loss });
  h = await head.fit(featTrain, train.ys, { epochs, batchSize, verbose: 0 });
  // the deployable model: image → frozen backbone → new head
  const input = tf.input({ shape: inputShape });
  const keras = tf.model({ inputs: input, outputs: head.apply(base.apply(input)) as tf.SymbolicTensor });
  const moved = changed(frozen, base.weights);
  console.log(`  loss ${(h.history.loss as number[]).map((l) => l.toFixed(3)).join(' → ')}; test accuracy ${(accuracy(keras) * 100).toFixed(1)}%`);
  if (moved.length > 0) throw new Error(`the frozen backbone changed: ${moved.slice(0, 5).join(', ')}`);
  console.log(`  trainable weights of the combined model: ${keras.trainableWeights.map((w) => w.name).join(', ')}; backbone unchanged`);
  featTrain.dispose();

  tf.dispose([train.xs, train.ys, test.xs, test.ys]);
  console.log('example ok');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
