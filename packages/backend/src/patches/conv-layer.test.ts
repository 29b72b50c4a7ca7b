import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../register-wasm.js';
import { appliedPatches } from './applied.js';
import { CONV_LAYER_PATCH } from './conv-layer.js';

/** Calls of `kernel` on wasm while `f` runs. */
function countCalls<T>(kernel: string, f: () => T): [T, number] {
  const config = tf.getKernel(kernel, 'wasm')! as { kernelFunc: tf.KernelFunc };
  const original = config.kernelFunc;
  let calls = 0;
  config.kernelFunc = (args) => {
    calls++;
    return original(args);
  };
  try {
    return [f(), calls];
  } finally {
    config.kernelFunc = original;
  }
}

describe('tfjs-layers Conv2D in training mode on wasm', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('computes the same gradients without the gradient of the input images', () => {
    expect(appliedPatches()).toContain(CONV_LAYER_PATCH);
    const input = tf.input({ shape: [8, 8, 3] });
    const c1 = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
    const c2 = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(c1) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2 }).apply(tf.layers.globalAveragePooling2d({}).apply(c2)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 1);
    // training: false runs tfjs-layers' own fused.conv2d (the patch only takes training mode).
    const grads = (training: boolean) => countCalls('Conv2DBackpropInput', () => {
      const { value, grads: g } = tf.variableGrads(() => (model.apply(x, { training }) as tf.Tensor).square().sum() as tf.Scalar);
      value.dispose();
      const values = model.trainableWeights.map((w) => g[w.originalName]!.dataSync().slice());
      tf.dispose(Object.values(g));
      return values;
    });
    const before = tf.memory().numTensors;
    const [stock, stockCalls] = grads(false);
    const [patched, patchedCalls] = grads(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(stockCalls).toBe(2); // fused.conv2d's gradient computes both layers' input gradients
    expect(patchedCalls).toBe(1); // only the second layer's: the first one's input is the data
    expect(patched.length).toBe(4); // two kernels, the dense kernel and bias
    patched.forEach((g, i) => expect(Array.from(g)).toEqual(Array.from(stock[i]!)));
    model.dispose();
    x.dispose();
  });

  it('leaves a layer with a bias or an activation to tfjs-layers', () => {
    const layer = tf.layers.conv2d({ filters: 4, kernelSize: 1, activation: 'relu', useBias: true, biasInitializer: 'ones' });
    const x = tf.ones([1, 2, 2, 4]);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from((layer.apply(x, { training: false }) as tf.Tensor).dataSync()));
    tf.dispose([x, y]);
    layer.dispose();
  });
});
