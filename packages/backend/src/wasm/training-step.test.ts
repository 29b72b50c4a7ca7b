import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_NORM_TRAINING_GRAD, CHANNEL_MOMENTS } from './batchnorm-training.js';
import { registerWasmTrainingKernels } from '../register-wasm.js';
import { maxRelDiff, values } from './test-utils.js';

/** A small residual convnet with every layer kind of a ResNet (stride-2 pad+valid conv, BN, add, GAP, dense). */
function smallResNet(): tfl.LayersModel {
  const input = tfl.input({ shape: [9, 9, 3] });
  const conv = (x: tfl.SymbolicTensor, filters: number, strides: number, name: string) => {
    let y = x;
    if (strides === 2) y = tfl.layers.zeroPadding2d({ padding: 1, name: `${name}.pad` }).apply(y) as tfl.SymbolicTensor;
    y = tfl.layers.conv2d({ filters, kernelSize: 3, strides, padding: strides === 2 ? 'valid' : 'same', useBias: false, name }).apply(y) as tfl.SymbolicTensor;
    return tfl.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9, name: `${name}.bn` }).apply(y) as tfl.SymbolicTensor;
  };
  const stem = tfl.layers.reLU().apply(conv(input, 4, 1, 'conv1')) as tfl.SymbolicTensor;
  const branch = conv(tfl.layers.reLU().apply(conv(stem, 6, 2, 'b.conv1')) as tfl.SymbolicTensor, 6, 1, 'b.conv2');
  const short = tfl.layers.conv2d({ filters: 6, kernelSize: 1, strides: 2, name: 'b.down' }).apply(stem) as tfl.SymbolicTensor;
  const sum = tfl.layers.reLU().apply(tfl.layers.add().apply([short, branch])) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(sum) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3, name: 'fc' }).apply(pooled) as tfl.SymbolicTensor });
}

/** Weights from a fixed formula, so both backends start from the same point. */
function setWeights(model: tfl.LayersModel): void {
  const ws = model.getWeights().map((w, i) => tf.mul(tf.tensor(values(w.size, 100 + i), w.shape), 0.5));
  model.setWeights(ws);
  tf.dispose(ws);
}

/** Runs `steps` momentum-SGD steps on `backend`; returns the losses and the final weights. */
async function train(backend: string, steps: number): Promise<{ losses: number[]; weights: Float32Array[]; tensors: number[] }> {
  await tf.setBackend(backend);
  const model = smallResNet();
  setWeights(model);
  const opt = tf.train.momentum(0.05, 0.9);
  const x = tf.tensor4d(values(4 * 9 * 9 * 3, 1), [4, 9, 9, 3]);
  const y = tf.oneHot(tf.tensor1d([0, 2, 1, 2], 'int32'), 3);
  const losses: number[] = [];
  const tensors: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
    tensors.push(tf.memory().numTensors);
  }
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  return { losses, weights, tensors };
}

describe('a residual convnet trains on wasm exactly as on cpu', () => {
  let installed: string[] = [];
  beforeAll(() => {
    installed = registerWasmTrainingKernels();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('same losses and weights after 3 momentum-SGD steps (wasm through the fused BatchNorm)', async () => {
    expect(installed).toContain('BatchNormalization (training, wasm)');
    const moments = tf.getKernel(CHANNEL_MOMENTS, 'wasm')!;
    const grad = tf.getKernel(BATCH_NORM_TRAINING_GRAD, 'wasm')!;
    const calls = { moments: 0, grad: 0 };
    const [m0, g0] = [moments.kernelFunc, grad.kernelFunc];
    (moments as { kernelFunc: tf.KernelFunc }).kernelFunc = (a) => { calls.moments++; return m0(a); };
    (grad as { kernelFunc: tf.KernelFunc }).kernelFunc = (a) => { calls.grad++; return g0(a); };
    const cpu = await train('cpu', 3);
    const wasm = await train('wasm', 3);
    (moments as { kernelFunc: tf.KernelFunc }).kernelFunc = m0;
    (grad as { kernelFunc: tf.KernelFunc }).kernelFunc = g0;
    expect(calls).toEqual({ moments: 3 * 3, grad: 3 * 3 }); // 3 BN layers, 3 steps; the cpu run used tfjs-layers' own code
    expect(cpu.losses[2]!).toBeLessThan(cpu.losses[0]!); // it does learn
    wasm.losses.forEach((l, i) => expect(l).toBeCloseTo(cpu.losses[i]!, 4));
    expect(wasm.weights.length).toBe(cpu.weights.length);
    wasm.weights.forEach((w, i) => expect(maxRelDiff(w, cpu.weights[i]!)).toBeLessThan(1e-4));
  });

  for (const backend of ['wasm', 'cpu']) {
    it(`tf.memory().numTensors stays flat over 100 steps on ${backend}`, async () => {
      const { tensors } = await train(backend, 100);
      expect(new Set(tensors.slice(2)).size).toBe(1);
    });
  }
});
