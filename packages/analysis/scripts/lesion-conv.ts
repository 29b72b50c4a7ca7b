// Veit et al. (2016) §4 on convolutional blocks, run by hand (too slow for CI on
// the cpu backend): two small nets of six basic blocks (@resnet/blocks, 16
// channels, 14×14 MNIST digits), identical except for the shortcuts, trained
// briefly on the wasm backend (with @resnet/backend's training kernels); then
// each block is removed in turn and the test error printed.
//
//   pnpm turbo run build --filter=@resnet/analysis...   # dependencies' dist
//   cd packages/analysis && npx tsx scripts/lesion-conv.ts [epochs] [adam learning rate]
//
// `npx tsx scripts/lesion-conv.ts 8 3e-3` printed here (test error, 500 digits):
//   residual: intact 13.8%; block i removed: 89.0 81.4 75.6 16.6 14.4 14.2
//   plain:    intact  7.6%; block i removed: 84.6 74.4 80.8 86.4 90.4 98.6
// The late residual blocks are removable; the first ones, which build the
// features of this shallow net (one stem conv), are not. Every plain block is.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { basicBlock } from '@resnet/blocks';
import { registerWasmTrainingKernels } from '@resnet/backend';
import { lesionStudy } from '../src/index.js';
import { mnistSlice } from '../src/testing/mnist.js';

const BLOCKS = 6;
const WIDTH = Number(process.env.WIDTH ?? 16);
const epochs = Number(process.argv[2] ?? 4);

function net(residual: boolean): tfl.LayersModel {
  const x = tfl.input({ shape: [14, 14, 1] });
  let y = tfl.layers.conv2d({ filters: WIDTH, kernelSize: 3, padding: 'same', useBias: false, name: 'conv1' }).apply(x) as tfl.SymbolicTensor;
  y = tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: 'bn1' }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.reLU({ name: 'relu' }).apply(y) as tfl.SymbolicTensor;
  for (let i = 0; i < BLOCKS; i++) y = basicBlock(y, { filters: WIDTH, shortcut: residual ? 'identity' : 'none', name: `layer1.${i}` });
  y = tfl.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.dense({ units: 10, name: 'fc' }).apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: y });
}

const small = (x: tf.Tensor4D) => tf.tidy(() => tf.avgPool(x, 2, 2, 'valid'));

async function main(): Promise<void> {
  tf.enableProdMode();
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
  const train = mnistSlice(150, 0);
  const test = mnistSlice(50, 150);
  const data = { x: small(train.x), y: tf.oneHot(train.y, 10) };
  const held = { x: small(test.x), y: test.y };
  for (const residual of [true, false]) {
    const m = net(residual);
    m.compile({ optimizer: tf.train.adam(Number(process.argv[3] ?? 1e-2)), loss: (t: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(t, p) });
    const t0 = Date.now();
    await m.fit(data.x, data.y, { epochs, batchSize: 50, shuffle: false, verbose: 0 });
    const r = await lesionStudy(m, held);
    const name = residual ? 'residual' : 'plain   ';
    console.log(`${name} trained ${epochs} epochs in ${((Date.now() - t0) / 1000).toFixed(1)} s (${r.method}); ` +
      `test error intact ${(100 * r.baselineError).toFixed(1)}%, block i removed: ${r.blocks.map((b) => (100 * b.error).toFixed(1)).join(' ')}`);
  }
}

await main();
