// Runs inside a fresh npm project that installed our packages from the test
// registry: what a user does first. Copied there by scripts/release-test.mjs;
// it must import only what that project installed.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as analysis from '@resnet/analysis';
import * as backend from '@resnet/backend';
import * as blocks from '@resnet/blocks';
import * as residual from '@resnet/residual';
import * as zoo from '@resnet/zoo';

tf.enableProdMode();
const step = (msg) => console.log(`  smoke: ${msg}`);

function need(mod, pkg, name) {
  const fn = mod[name];
  if (typeof fn !== 'function') {
    throw new Error(`${pkg} does not export a function '${name}' (it exports: ${Object.keys(mod).sort().join(', ') || 'nothing'})`);
  }
  return fn;
}
const selectBackend = need(backend, '@resnet/backend', 'selectBackend');
const createModel = need(zoo, '@resnet/zoo', 'createModel');
const countParams = need(analysis, '@resnet/analysis', 'countParams');
need(blocks, '@resnet/blocks', 'basicBlock');
need(residual, '@resnet/residual', 'densenet121');

// --- backend: wasm, with the training kernels @resnet/backend adds ---
const info = await selectBackend('wasm');
assert.equal(info.name, 'wasm', `selectBackend('wasm') chose ${JSON.stringify(info)}`);
assert.equal(tf.getBackend(), 'wasm');
step(`backend ${info.name} (${info.device}): ${info.reason}`);

// --- ResNet-50: parameter count in both conventions ---
const r50 = createModel('resnet50');
// torchvision: sum(p.numel() for p in resnet50().parameters()) == 25,557,032
const torch = countParams(r50, { convention: 'torch' });
assert.equal(torch.total, 25_557_032, `ResNet-50 params, torch convention: ${JSON.stringify(torch.total)}`);
// Keras also counts BN moving mean and variance: 2 per BN channel. BN channels:
// stem 64; per stage (blocks × (w + w + 4w)) + 4w for the downsample BN.
const bnChannels = 64 + [[3, 64], [4, 128], [6, 256], [3, 512]].reduce((s, [n, w]) => s + n * 6 * w + 4 * w, 0);
const params = countParams(r50, { convention: 'keras' });
assert.equal(params.trainable, 25_557_032, `ResNet-50 trainable params: ${params.trainable}`);
assert.equal(params.nonTrainable, 2 * bnChannels, `ResNet-50 non-trainable (BN statistics): ${params.nonTrainable}`);
assert.equal(r50.countParams(), 25_557_032 + 2 * bnChannels);
const trainableByTfjs = r50.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
assert.equal(trainableByTfjs, 25_557_032);
step(`resnet50: ${params.trainable.toLocaleString('en-US')} trainable, ${params.nonTrainable.toLocaleString('en-US')} non-trainable`);

// --- ResNet-50: one prediction, no leaked tensors ---
const before = tf.memory().numTensors;
const x = tf.randomUniform([1, 224, 224, 3], 0, 1, 'float32', 7);
const t0 = Date.now();
const logits = r50.predict(x);
const out = await logits.data();
assert.deepEqual(logits.shape, [1, 1000]);
assert.ok(out.every(Number.isFinite), 'ResNet-50 logits contain NaN or Infinity');
assert.ok(Math.max(...out) > Math.min(...out), 'ResNet-50 logits are all equal');
const again = r50.predict(x);
assert.deepEqual(await again.data(), out, 'two predictions of the same input differ');
tf.dispose([x, logits, again]);
assert.equal(tf.memory().numTensors, before, 'prediction leaked tensors');
step(`resnet50 predict [1,224,224,3] -> [1,1000] in ${Date.now() - t0} ms`);
r50.dispose();

// --- ResNet-20: 3 training steps on wasm (needs the Conv2DBackpropFilter kernel) ---
const r20 = createModel('resnet20', { numClasses: 10 });
const n = 16;
const xs = tf.randomUniform([n, 32, 32, 3], 0, 1, 'float32', 1);
const ys = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => (i * 7) % 10), 'int32'), 10);
r20.compile({
  optimizer: tf.train.sgd(0.01),
  // the zoo's models output logits, like torchvision's
  loss: (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
});
const firstConv = r20.getLayer('conv1').getWeights()[0].dataSync().slice();
const t1 = Date.now();
const history = await r20.fit(xs, ys, { epochs: 3, batchSize: n, shuffle: false, verbose: 0 });
const losses = history.history.loss;
assert.equal(losses.length, 3);
assert.ok(losses.every(Number.isFinite), `non-finite training loss: ${losses}`);
// the same batch three times with a small step: the loss must go down, or a
// gradient kernel is wrong (a sign or a transpose)
assert.ok(losses[2] < losses[0], `training loss did not decrease: ${losses.join(', ')}`);
const moved = r20.getLayer('conv1').getWeights()[0].dataSync();
assert.ok(moved.some((v, i) => v !== firstConv[i]), 'conv1 kernel did not change during training');
step(`resnet20 fit 3 steps (batch ${n}) on ${tf.getBackend()} in ${Date.now() - t1} ms, loss ${losses.map((l) => l.toFixed(4)).join(' -> ')}`);
tf.dispose([xs, ys]);
r20.dispose();
console.log('smoke: ok');
