/**
 * Transfer learning from ImageNet weights, both common recipes, each a call or two:
 *
 * 1. torchvision's: the pretrained model with a new 10-class classifier
 *    (`replaceHead`, timm's `reset_classifier`), fine-tune everything.
 * 2. Keras': the same with the backbone frozen (`freezeBackbone`): only the new
 *    head trains, and the backbone's BatchNorm layers keep their ImageNet
 *    statistics (tfjs's plain `trainable = false` would let `fit` move them).
 *
 *   pnpm tsx examples/transfer-learning.ts                                  # resnet18.tv_in1k, downloaded once; 10-class MNIST digits, 32×32
 *   pnpm tsx examples/transfer-learning.ts --weights resnet18.safetensors   # a torchvision state dict you already have
 *   pnpm tsx examples/transfer-learning.ts --tiny                           # self-made weights file, 1 epoch
 *
 * With --tiny (CI never downloads) the weights are a randomly initialised
 * ResNet-18 exported with `exportWeights`: the same code path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { createModel, exportWeights, freezeBackbone, replaceHead } from '@resnet/zoo';
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
/** Copies of every weight's values (moving statistics included), by weight name. */
const snapshot = (ws: tf.LayerVariable[]) => new Map(ws.map((w) => [w.name, w.read().dataSync().slice()]));
const changed = (before: Map<string, Float32Array | Int32Array | Uint8Array>, ws: tf.LayerVariable[]) =>
  ws.filter((w) => w.read().dataSync().some((v, i) => v !== before.get(w.name)![i])).map((w) => w.name);

const tmp = mkdtempSync(join(tmpdir(), 'resnet-transfer-'));
try {
  const tag = 'resnet18.tv_in1k';
  const file = args.tiny ? join(tmp, 'resnet18-random-init.safetensors') : args.weights;
  if (args.tiny) writeFileSync(file!, exportWeights(createModel('resnet18'), { to: 'torchvision' }));
  // A weights file you have loads through the tag (its model options), read in place: no download, no cache.
  if (file) console.log(`weights: ${file}${args.tiny ? ' (randomly initialised, --tiny)' : ''}`);

  // --- Recipe 1 (torchvision): new 10-class head, fine-tune everything ---
  const tv = replaceHead(await createModel(tag, { weights: file, inputShape }), 10);
  tv.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss });
  const tvBefore = snapshot(tv.trainableWeights);
  let h = await tv.fit(train.xs, train.ys, { epochs, batchSize, verbose: 0 });
  const tvChanged = changed(tvBefore, tv.trainableWeights);
  console.log(`\n[torchvision recipe] loss ${(h.history.loss as number[]).map((l) => l.toFixed(3)).join(' → ')}; ${tvChanged.length}/${tv.trainableWeights.length} trainable weights changed; test accuracy ${(accuracy(tv) * 100).toFixed(1)}%`);
  if (tvChanged.length !== tv.trainableWeights.length) throw new Error('fine-tuning should update every trainable weight');

  // --- Recipe 2 (Keras): frozen backbone, new head; only the head trains ---
  const keras = replaceHead(await createModel(tag, { weights: file, inputShape }), 10);
  const frozenLayers = freezeBackbone(keras); // everything but the new 'fc'; before compile
  keras.compile({ optimizer: tf.train.adam(1e-3), loss });
  const frozenWeights = keras.weights.filter((w) => w.originalName.split('/')[0] !== 'fc');
  const frozen = snapshot(frozenWeights);
  h = await keras.fit(train.xs, train.ys, { epochs, batchSize, verbose: 0 });
  const moved = changed(frozen, frozenWeights);
  console.log(
    `\n[Keras recipe] ${frozenLayers.length} layers frozen; trainable: ${keras.trainableWeights.map((w) => w.originalName).join(', ')}\n` +
      `  loss ${(h.history.loss as number[]).map((l) => l.toFixed(3)).join(' → ')}; test accuracy ${(accuracy(keras) * 100).toFixed(1)}%`,
  );
  if (moved.length > 0) throw new Error(`the frozen backbone changed: ${moved.slice(0, 5).join(', ')}`);
  console.log(`  all ${frozenWeights.length} backbone weights and BatchNorm statistics unchanged by fit`);

  tv.dispose();
  keras.dispose();
  tf.dispose([train.xs, train.ys, test.xs, test.ys]);
  console.log('example ok');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
