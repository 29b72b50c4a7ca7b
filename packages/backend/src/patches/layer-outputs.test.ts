import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedPatches } from './applied.js';
import { registerTrainingGradients } from './gradients.js';
import { LAYER_OUTPUTS_PATCH, patchLayerOutputs } from './layer-outputs.js';

/** A layer that records how many tensors are alive when it runs (the peak of a forward pass is at its end). */
class Probe extends tf.layers.Layer {
  static readonly className = 'LayerOutputsProbe';
  live = 0;
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    this.live = tf.memory().numTensors;
    return tf.clone([inputs].flat()[0]!);
  }
}

/** conv → BN → ReLU → conv → BN, + the block's input → ReLU → probe → pooling → dense: a residual block. */
function residualNet(): { model: tf.LayersModel; probe: Probe; layers: tf.layers.Layer[] } {
  const input = tf.input({ shape: [6, 6, 4] });
  const layers = [
    tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }),
    tf.layers.batchNormalization({}),
    tf.layers.reLU({}),
    tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
    tf.layers.batchNormalization({}),
  ];
  const [add, relu, probe, pool, dense] = [tf.layers.add({}), tf.layers.reLU({}), new Probe({}), tf.layers.globalAveragePooling2d({}),
    tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) })];
  const branch = layers.reduce<tf.SymbolicTensor>((h, l) => l.apply(h) as tf.SymbolicTensor, input);
  const out = dense.apply(pool.apply(probe.apply(relu.apply(add.apply([branch, input]))))) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: input, outputs: out }), probe, layers: [...layers, add, relu, probe, pool, dense] };
}

/** The same net, its layers applied one by one by hand: tfjs' eager ops, nothing freed before the end. */
function byHand(layers: tf.layers.Layer[], x: tf.Tensor): tf.Tensor {
  const kw = { training: true };
  const branch = layers.slice(0, 5).reduce((h, l) => l.apply(h, kw) as tf.Tensor, x);
  const summed = layers[5]!.apply([branch, x], kw) as tf.Tensor;
  return layers.slice(6).reduce((h, l) => l.apply(h, kw) as tf.Tensor, summed);
}

describe("functional models free each layer's output in training once its readers have run", () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    registerTrainingGradients(); // ReLU's gradient from its output: the BatchNorm outputs are then not saved
    expect(patchLayerOutputs()).toBe(true);
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it('same loss and gradients, bit for bit, as the layers applied by hand; fewer tensors alive at the end of the forward pass', () => {
    expect(appliedPatches()).toContain(LAYER_OUTPUTS_PATCH);
    const { model, probe, layers } = residualNet();
    const x = tf.randomNormal([2, 6, 6, 4], 0, 1, 'float32', 4);
    const labels = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
    const step = (forward: () => tf.Tensor) => {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, forward()) as tf.Scalar);
      const out = { loss: value.dataSync()[0], grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, Array.from(g.dataSync())])), live: probe.live };
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    };
    const before = tf.memory().numTensors;
    const patched = step(() => model.apply(x, { training: true }) as tf.Tensor);
    const manual = step(() => byHand(layers, x));
    expect(tf.memory().numTensors).toBe(before);
    expect(patched.loss).toBe(manual.loss);
    expect(Object.keys(patched.grads).sort()).toEqual(Object.keys(manual.grads).sort());
    for (const [name, g] of Object.entries(manual.grads)) expect(patched.grads[name], name).toEqual(g);
    // By hand, every layer output is alive at the probe; patched, six are gone (both convolutions', both
    // BatchNorms', the first ReLU's and the sum's: the tape keeps its own copies where a gradient needs them).
    expect(manual.live - patched.live).toBe(6);
    tf.dispose([x, labels]);
    model.dispose();
  });

  it('inference runs as tfjs-layers does; the inputs, and an intermediate output that is also a model output, survive', () => {
    const input = tf.input({ shape: [3] });
    const hidden = tf.layers.dense({ units: 3, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2 }).apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: [hidden, out] });
    const x = tf.ones([2, 3]);
    for (const training of [true, false]) {
      const [h, y] = model.apply(x, { training }) as tf.Tensor[];
      expect([x.isDisposed, h!.isDisposed, y!.isDisposed]).toEqual([false, false, false]);
      expect(y!.shape).toEqual([2, 2]);
      tf.dispose([h!, y!]);
    }
    x.dispose();
    model.dispose();
  });
});
