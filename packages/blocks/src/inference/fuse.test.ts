import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '@resnet/backend';
import { maxRelDiff } from '@resnet/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ResidualAdd } from '../residual-add.js';
import { formula } from '../test-utils.js';
import { fuseForInference } from './fuse.js';
import { CONV2D_RESIDUAL } from './fused-conv.js';

/** Stem (padding, strided conv with BN and ReLU), a bottleneck-like block with both junction kinds, a head. */
function model(gate: number): tfl.LayersModel {
  const input = tfl.input({ shape: [17, 15, 3] });
  const bn = (t: tfl.SymbolicTensor, center = true, scale = true) =>
    tfl.layers.batchNormalization({ epsilon: 1e-3, center, scale }).apply(t) as tfl.SymbolicTensor;
  const conv = (t: tfl.SymbolicTensor, filters: number, kernelSize: number, extra: object = {}) =>
    tfl.layers.conv2d({ filters, kernelSize, padding: 'same', useBias: false, ...extra }).apply(t) as tfl.SymbolicTensor;
  let x = tfl.layers.zeroPadding2d({ padding: [[1, 2], [2, 1]] }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.reLU().apply(bn(conv(x, 16, 3, { strides: 2, padding: 'valid' }))) as tfl.SymbolicTensor;
  const branch = bn(conv(tfl.layers.activation({ activation: 'relu' }).apply(bn(conv(x, 8, 1), false, true)) as tfl.SymbolicTensor, 16, 3, { useBias: true }), true, false);
  const junction = new ResidualAdd({});
  junction.gate = gate;
  x = tfl.layers.reLU().apply(junction.apply([x, branch])) as tfl.SymbolicTensor;
  const side = conv(x, 16, 1, { useBias: true, activation: 'relu' });
  x = tfl.layers.add().apply([bn(conv(x, 16, 3)), side]) as tfl.SymbolicTensor; // the conv is Add's input 0; no ReLU after
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 5 }).apply(x) as tfl.SymbolicTensor });
}

/** Gives every BatchNorm non-trivial statistics, so that a wrong fold shows. */
function perturb(m: tfl.LayersModel): void {
  m.layers.forEach((layer, i) => {
    if (layer.getClassName() !== 'BatchNormalization') return;
    layer.setWeights(layer.getWeights().map((w, k) =>
      tf.tensor(Float32Array.from(formula(w.size, 10 * i + k), (v) => (k === layer.getWeights().length - 1 ? 1 + v / 2 : v)), w.shape)));
  });
}

describe('fuseForInference: BatchNorm folded, padding, ReLU and residual additions fused', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("@resnet/backend registers the residual kernel under this package's name for it", () => {
    expect(WASM_TRAINING_KERNELS).toContain(CONV2D_RESIDUAL);
  });

  for (const backend of ['wasm', 'cpu']) {
    for (const gate of [1, 0.5]) {
      it(`${backend}, gate ${gate}: the same outputs as model.predict`, async () => {
        await tf.setBackend(backend);
        const m = model(gate);
        perturb(m);
        const x = tf.tensor4d(formula(2 * 17 * 15 * 3, 7), [2, 17, 15, 3]);
        const expected = tf.tidy(() => (m.predict(x) as tf.Tensor).dataSync() as Float32Array);
        const bytes = tf.memory().numBytes;
        const fused = fuseForInference(m);
        // In place: the folded filters replaced the convolutions' kernels; only the 4 folded bias vectors (16 + 8 + 16
        // + 16 floats) and, with a gate, the gated branch filter (3·3·8·16) and bias (16) were added.
        expect(tf.memory().numBytes - bytes).toBe(4 * (56 + (gate === 1 ? 0 : 3 * 3 * 8 * 16 + 16)));
        // The model itself still computes the same function.
        expect(maxRelDiff(tf.tidy(() => (m.predict(x) as tf.Tensor).dataSync()), expected)).toBeLessThan(1e-5);
        expect(fused.fused).toEqual({ batchNorms: 4, relus: 3, residuals: 2, paddings: 1 });
        const tensors = tf.memory().numTensors;
        const runKernel = vi.spyOn(tf.engine(), 'runKernel');
        const got = fused.predict(x);
        // Both residual junctions ran as the fused kernel on wasm (registered there), as tfjs ops on cpu.
        expect(runKernel.mock.calls.filter(([name]) => name === CONV2D_RESIDUAL)).toHaveLength(backend === 'wasm' ? 2 : 0);
        expect(maxRelDiff(got.dataSync(), expected)).toBeLessThan(1e-5);
        got.dispose();
        expect(tf.memory().numTensors).toBe(tensors);
        fused.dispose();
        expect(tf.memory().numTensors).toBe(tensors - 4 - (gate === 1 ? 0 : 2));
        x.dispose();
        m.dispose();
      });
    }
  }

  it('inPlace: false leaves every weight of the model as it was and owns the folded copies', async () => {
    await tf.setBackend('cpu');
    const m = model(1);
    perturb(m);
    const before = m.getWeights().map((w) => w.dataSync().slice());
    const x = tf.tensor4d(formula(17 * 15 * 3, 3), [1, 17, 15, 3]);
    const expected = tf.tidy(() => (m.predict(x) as tf.Tensor).dataSync());
    const tensors = tf.memory().numTensors;
    const fused = fuseForInference(m, { inPlace: false });
    m.getWeights().forEach((w, i) => expect(w.dataSync()).toEqual(before[i]));
    const got = fused.predict(x);
    expect(maxRelDiff(got.dataSync(), expected)).toBeLessThan(1e-5);
    got.dispose();
    expect(tf.memory().numTensors).toBe(tensors + 4 * 2);
    fused.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    x.dispose();
    m.dispose();
  });

  it('predict frees each activation after its last reader: the peak is a few activations, not the sum of all', async () => {
    await tf.setBackend('cpu');
    const input = tfl.input({ shape: [16, 16, 8] });
    let x = input;
    for (let k = 0; k < 12; k++) {
      const y = tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tfl.SymbolicTensor;
      x = tfl.layers.reLU().apply(tfl.layers.batchNormalization({}).apply(y)) as tfl.SymbolicTensor;
    }
    const m = tfl.model({ inputs: input, outputs: x });
    const fused = fuseForInference(m);
    const image = tf.ones([1, 16, 16, 8]);
    const activation = 16 * 16 * 8 * 4; // bytes of each of the 12 layers' outputs
    const base = tf.memory().numBytes;
    let peak = 0;
    const runKernel = tf.engine().runKernel.bind(tf.engine());
    vi.spyOn(tf.engine(), 'runKernel').mockImplementation((...args) => {
      const out = runKernel(...args);
      peak = Math.max(peak, tf.memory().numBytes - base);
      return out;
    });
    const y = fused.predict(image);
    // The last output, the one being computed and the one it reads, at most: 3 activations (12 without freeing).
    expect(peak).toBeLessThanOrEqual(3 * activation);
    expect(tf.memory().numBytes - base).toBe(activation);
    y.dispose();
    tf.dispose([image]);
    fused.dispose();
    m.dispose();
  });

  it("never frees the caller's input, also when a layer passes it on (Dropout at inference)", async () => {
    await tf.setBackend('cpu');
    const input = tfl.input({ shape: [6, 6, 4] });
    const dropped = tfl.layers.dropout({ rate: 0.5 }).apply(input) as tfl.SymbolicTensor;
    const y = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(dropped) as tfl.SymbolicTensor;
    const m = tfl.model({ inputs: input, outputs: tfl.layers.reLU().apply(y) as tfl.SymbolicTensor });
    const fused = fuseForInference(m);
    const x = tf.ones([1, 6, 6, 4]);
    const out = fused.predict(x);
    expect(x.isDisposed).toBe(false);
    expect(maxRelDiff(out.dataSync(), tf.tidy(() => (m.predict(x) as tf.Tensor).dataSync()))).toBeLessThan(1e-6);
    tf.dispose([x, out]);
    fused.dispose();
    m.dispose();
  });

  it('never rewrites a layer shared by two calls', async () => {
    await tf.setBackend('cpu');
    const input = tfl.input({ shape: [6, 6, 4] });
    const conv = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false });
    const bn = tfl.layers.batchNormalization({ epsilon: 1e-3 });
    const once = bn.apply(conv.apply(input)) as tfl.SymbolicTensor;
    const twice = tfl.layers.add().apply([conv.apply(once) as tfl.SymbolicTensor, once]) as tfl.SymbolicTensor;
    const m = tfl.model({ inputs: input, outputs: twice });
    perturb(m);
    const before = m.getWeights().map((w) => w.dataSync().slice());
    const fused = fuseForInference(m);
    expect(fused.fused.batchNorms).toBe(1);
    m.getWeights().forEach((w, i) => expect(w.dataSync()).toEqual(before[i]));
    fused.dispose();
    m.dispose();
  });
});
