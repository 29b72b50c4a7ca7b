/**
 * A lesion study (Veit, Wilber & Belongie 2016, "Residual networks behave like
 * ensembles of relatively shallow networks"): train a CIFAR ResNet-20 on real
 * MNIST digits, then switch off the residual branch of one block at a time and
 * measure the test accuracy.
 *
 *   pnpm tsx examples/lesion-study.ts          # 3 epochs on 5,000 digits, test on 1,000
 *   pnpm tsx examples/lesion-study.ts --tiny   # 2 training steps, 100 test digits (what CI runs)
 *
 * A lesion sets the block's `ResidualAdd.gate` to 0, so the block passes only
 * its shortcut; nothing is rebuilt and `restore()` puts the gate back. Veit et
 * al. found that deleting one block of a trained ResNet barely hurts, except the
 * blocks that downsample (whose shortcut is not the identity); a plain network
 * has no shortcut to fall back on, so there is nothing to lesion.
 */
import * as tf from '@tensorflow/tfjs';
import { residualJunctions, withLesion } from '@resnet/analysis';
import { selectBackend } from '@resnet/backend';
import { createModel } from '@resnet/zoo';
import { mnistAsCifar } from './lib/mnist.js';

const tiny = process.argv.includes('--tiny');
tf.enableProdMode();
const backend = await selectBackend('wasm');
console.log(`backend: ${backend.name} (${backend.device})`);

const model = createModel('resnet20', { numClasses: 10 });
const train = mnistAsCifar(tiny ? 6 : 500, 0); // 60 or 5,000 digits
const test = mnistAsCifar(tiny ? 10 : 100, 800); // samples 800+ of each digit: disjoint from training

const batchSize = tiny ? 30 : 100;
const epochs = tiny ? 1 : 3;
const steps = Math.ceil(train.xs.shape[0] / batchSize) * epochs;
// one epoch of linear warmup then cosine decay: short schedules need the warmup (see DESIGN.md)
const optimizer = tf.train.momentum(0.05, 0.9);
let step = 0;
const schedule = (s: number) => (s < steps / epochs ? (0.1 * (s + 1)) / (steps / epochs) : 0.05 * (1 + Math.cos((Math.PI * s) / steps)));
model.compile({
  optimizer,
  loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
});
const t0 = Date.now();
await model.fit(train.xs, train.ys, {
  batchSize,
  epochs,
  shuffle: true,
  verbose: 0,
  callbacks: {
    onBatchBegin: async () => {
      optimizer.setLearningRate(schedule(step++));
    },
    onEpochEnd: async (epoch, logs) => console.log(`epoch ${epoch + 1}/${epochs}: loss ${logs?.loss?.toFixed(4)}`),
  },
});
console.log(`trained ${step} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

/** Test accuracy in [0, 1]. */
function accuracy(): number {
  return tf.tidy(() => (model.predict(test.xs, { batchSize: 250 }) as tf.Tensor).argMax(1).equal(test.ys.argMax(1)).mean().dataSync()[0]!);
}

const junctions = residualJunctions(model);
const intact = accuracy();
console.log(`\nintact model: ${(intact * 100).toFixed(1)}% on ${test.xs.shape[0]} test digits; ${junctions.length} residual blocks`);
console.log('lesioned block     downsamples  accuracy  change');
for (const [i, j] of junctions.entries()) {
  // the first block of stages 2 and 3 changes width and resolution
  const downsamples = /^layer[23]\.0\./.test(j.name);
  const acc = await withLesion(model, [i], () => accuracy());
  const change = (acc - intact) * 100;
  console.log(`${j.name.padEnd(18)} ${(downsamples ? 'yes' : '').padEnd(11)}  ${(acc * 100).toFixed(1).padStart(7)}%  ${change >= 0 ? '+' : ''}${change.toFixed(1)}`);
}

// every gate is back: the model predicts exactly as before the study
const after = accuracy();
if (after !== intact || junctions.some((j) => j.gate !== 1)) {
  throw new Error(`lesions were not undone: accuracy ${after} vs ${intact}, gates ${junctions.map((j) => j.gate)}`);
}
if (!tiny && intact < 0.9) throw new Error(`ResNet-20 should reach 90% on these digits after ${epochs} epochs, got ${(intact * 100).toFixed(1)}%`);
tf.dispose([train.xs, train.ys, test.xs, test.ys]);
console.log('example ok');
