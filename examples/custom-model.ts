/**
 * Build your own residual network from @resnet/blocks, look at it, train it a
 * little, and save / reload it with plain TensorFlow.js.
 *
 *   pnpm tsx examples/custom-model.ts          # 60 training steps
 *   pnpm tsx examples/custom-model.ts --tiny   # 3 steps (what CI runs)
 *
 * The blocks are functions from a SymbolicTensor to a SymbolicTensor over
 * standard tfjs layers, so a model made of them is an ordinary tf.LayersModel:
 * `model.fit`, `model.save` and `tf.loadLayersModel` all work. Every residual
 * junction is a `ResidualAdd` layer (registered for serialization when
 * @resnet/blocks is imported).
 */
import * as tf from '@tensorflow/tfjs';
import { summary } from '@resnet/analysis';
import { selectBackend } from '@resnet/backend';
import { basicBlock, bottleneckBlock, residualAdd } from '@resnet/blocks';

const tiny = process.argv.includes('--tiny');
tf.enableProdMode();
// wasm runs convolutions ~30x faster than the pure-JS cpu backend; selectBackend
// also installs the gradient kernels the wasm backend lacks, so fit() works.
const backend = await selectBackend('wasm');
console.log(`backend: ${backend.name} (${backend.device})`);

/** A small CIFAR-sized ResNet mixing block types and shortcut options. */
function myResNet(numClasses: number): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 3] });
  let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false, name: 'conv1' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9, name: 'bn1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'relu' }).apply(x) as tf.SymbolicTensor;
  // identity shortcut (same shape)
  x = basicBlock(x, { filters: 16, name: 'layer1.0' });
  // He et al.'s option A: subsample + zero channels, no parameters
  x = basicBlock(x, { filters: 32, strides: 2, shortcut: 'zero-pad', name: 'layer2.0' });
  // ReZero: the branch is scaled by a trainable scalar that starts at 0
  x = basicBlock(x, { filters: 32, rezero: true, name: 'layer2.1' });
  // bottleneck 1x1-3x3-1x1, output 16 * 4 = 64 channels, projection shortcut
  x = bottleneckBlock(x, { filters: 16, strides: 2, name: 'layer3.0' });
  x = tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as tf.SymbolicTensor;
  // a residual junction outside a block: x + dense(x)
  const h = tf.layers.dense({ units: 64, activation: 'relu', name: 'head.fc1' }).apply(x) as tf.SymbolicTensor;
  x = residualAdd({ name: 'head.add' }).apply([x, h]) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: numClasses, name: 'fc' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'my_resnet' });
}

const model = myResNet(2);
// Block-level table; parameters in the PyTorch convention (BN statistics are buffers).
console.log(summary(model, { by: 'block', convention: 'torch' }).text);

// A task a small convnet learns in a few steps: is the bright square on the left or the right?
function batch(n: number, seed: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    const labels = tf.randomUniform([n], 0, 2, 'int32', seed);
    const noise = tf.randomUniform([n, 32, 32, 3], 0, 0.5, 'float32', seed + 1);
    const left = tf.concat([tf.ones([1, 32, 16, 3]), tf.zeros([1, 32, 16, 3])], 2);
    const right = tf.reverse(left, 2);
    const isRight = labels.reshape([n, 1, 1, 1]).cast('float32');
    const xs = noise.add(left.mul(tf.scalar(1).sub(isRight)).add(right.mul(isRight))) as tf.Tensor4D;
    return { xs, ys: tf.oneHot(labels, 2).cast('float32') as tf.Tensor2D };
  });
}

model.compile({
  optimizer: tf.train.momentum(0.05, 0.9),
  // the model outputs logits, like torchvision models
  loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
  metrics: ['accuracy'],
});
const steps = tiny ? 3 : 60;
const train = batch(32 * steps, 1);
const t0 = Date.now();
const history = await model.fit(train.xs, train.ys, { batchSize: 32, epochs: 1, shuffle: false, verbose: 0 });
const loss = history.history.loss as number[];
console.log(`trained ${steps} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s; loss ${loss.map((l) => l.toFixed(3)).join(', ')}`);
if (!loss.every(Number.isFinite)) throw new Error(`training loss is not finite: ${loss}`);

const test = batch(64, 99);
const acc = tf.tidy(() => (model.predict(test.xs) as tf.Tensor).argMax(1).equal(test.ys.argMax(1)).mean().dataSync()[0]!);
console.log(`held-out accuracy: ${(acc * 100).toFixed(1)}%${tiny ? ' (3 steps: not trained yet)' : ''}`);
if (!tiny && acc < 0.9) throw new Error(`expected the model to learn the left/right task (>= 90%), got ${(acc * 100).toFixed(1)}%`);

// Save to memory and load back with plain tfjs: the custom layers round-trip.
let saved: tf.io.ModelArtifacts | undefined;
await model.save(tf.io.withSaveHandler(async (artifacts) => {
  saved = artifacts;
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
}));
const reloaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
const same = tf.tidy(() => (model.predict(test.xs) as tf.Tensor).sub(reloaded.predict(test.xs) as tf.Tensor).abs().max().dataSync()[0]!);
console.log(`reloaded from model.json: max |difference| of logits = ${same}`);
if (same !== 0) throw new Error(`the reloaded model predicts differently (max difference ${same})`);

tf.dispose([train.xs, train.ys, test.xs, test.ys]);
console.log('example ok');
