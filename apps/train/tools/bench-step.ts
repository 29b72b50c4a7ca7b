/**
 * Measures training throughput (images/s) of CIFAR-layout plain/residual nets
 * on a backend, to size the quick degradation recipe. Run by hand:
 *   pnpm exec tsx apps/train/tools/bench-step.ts [backend] [widths] [batch]
 * Builds the nets with plain tf.layers (add for the shortcut), so it does not
 * depend on the zoo; the zoo's models have the same layers.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { Sgd } from '../src/train/sgd.js';
import { trainStep, trainableVariables } from '../src/train/step.js';

const [backend = 'wasm', widthsArg = '8,16,32', batchArg = '32', depthsArg = '20,56'] = process.argv.slice(2);
const widths = widthsArg.split(',').map(Number);
const batch = Number(batchArg);
tf.enableProdMode();
const info = await selectBackend(backend as 'wasm');
console.log(`backend ${info.name} on ${info.device}`);

function net(depth: number, residual: boolean): tf.LayersModel {
  const n = (depth - 2) / 6;
  const input = tf.input({ shape: [32, 32, 1] });
  const bn = () => tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 });
  let x = tf.layers.conv2d({ filters: widths[0]!, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(bn().apply(x)) as tf.SymbolicTensor;
  let cin = widths[0]!;
  widths.forEach((w, i) => {
    for (let j = 0; j < n; j++) {
      const s = i > 0 && j === 0 ? 2 : 1;
      let y = tf.layers.conv2d({ filters: w, kernelSize: 3, strides: s, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
      y = tf.layers.reLU().apply(bn().apply(y)) as tf.SymbolicTensor;
      y = bn().apply(tf.layers.conv2d({ filters: w, kernelSize: 3, padding: 'same', useBias: false }).apply(y)) as tf.SymbolicTensor;
      if (residual) {
        const sc = s === 1 && cin === w ? x : (tf.layers.conv2d({ filters: w, kernelSize: 1, strides: s, useBias: false }).apply(x) as tf.SymbolicTensor);
        y = tf.layers.add().apply([sc, y]) as tf.SymbolicTensor;
      }
      x = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
      cin = w;
    }
  });
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 10 }).apply(x) as tf.SymbolicTensor });
}

for (const depth of depthsArg.split(',').map(Number)) {
  const model = net(depth, true);
  const vars = trainableVariables(model);
  const sgd = new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 1e-4 });
  const x = tf.randomNormal([batch, 32, 32, 1]) as tf.Tensor4D;
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32');
  await trainStep(model, vars, sgd, x, y, 10, 0.01);
  const t0 = performance.now();
  const steps = 5;
  for (let i = 0; i < steps; i++) await trainStep(model, vars, sgd, x, y, 10, 0.01);
  const s = (performance.now() - t0) / 1000;
  console.log(`depth ${depth} widths ${widthsArg} batch ${batch}: ${((steps * batch) / s).toFixed(1)} img/s (${((s / steps) * 1000).toFixed(0)} ms/step)`);
  model.dispose();
  sgd.dispose();
}
