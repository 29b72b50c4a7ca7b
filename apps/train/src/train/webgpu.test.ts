// Training on WebGPU through the CLI's own step (trainStep + Sgd), against wasm.
// Runs on SwiftShader where there is no GPU (scripts/software-vulkan.ts); a
// machine with no WebGPU adapter at all fails these tests rather than skipping them.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { basicBlock, bottleneckBlock, Rng } from '@resnet/blocks';
import { densenet, transformerEncoderBlock } from '@resnet/residual';
import { createModel } from '@resnet/zoo';
import { useBackend } from '../backend.js';
import { Sgd } from './sgd.js';
import { trainStep, trainableVariables } from './step.js';

/** Seeded values in [-1, 1): the same inputs on every backend. */
function values(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => 2 * rng.next() - 1);
}

const BACKENDS = { wasm: () => useBackend('wasm', { quiet: true }), webgpu: () => useBackend('webgpu', { quiet: true, allowSoftware: true }) };
type Backend = keyof typeof BACKENDS;

interface Run {
  losses: number[];
  weights: Float32Array[];
  memory: Array<{ tensors: number; gpuBytes: number; gpuAllocated: number }>;
}

/** Weights of a freshly built model, read once, so both backends start from the same point. */
async function initialWeights(make: () => tf.LayersModel): Promise<Float32Array[]> {
  await BACKENDS.wasm();
  const m = make();
  const ws = await Promise.all(m.getWeights().map(async (w) => Float32Array.from(await w.data())));
  m.dispose();
  return ws;
}

/** `steps` SGD steps (momentum 0.9, weight decay 1e-4) of `make()` from `init` on `backend`. */
async function train(backend: Backend, make: () => tf.LayersModel, init: Float32Array[], steps: number, batch: number): Promise<Run> {
  await BACKENDS[backend]();
  const model = make();
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(init[i]!, w.shape)));
  const inShape = model.inputs[0]!.shape.slice(1) as number[];
  const classes = (model.outputs[0]!.shape as number[]).at(-1)!;
  const x = tf.tensor(values(batch * inShape.reduce((a, b) => a * b), 7), [batch, ...inShape]) as tf.Tensor as tf.Tensor4D;
  const y = tf.tensor1d(Int32Array.from({ length: batch }, (_, i) => (i * 7) % classes), 'int32');
  const sgd = new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 1e-4 });
  const vars = trainableVariables(model);
  const run: Run = { losses: [], weights: [], memory: [] };
  for (let i = 0; i < steps; i++) {
    const r = await trainStep(model, vars, sgd, x, y, classes, 0.05);
    run.losses.push(r.loss);
    const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
    run.memory.push({ tensors: m.numTensors, gpuBytes: m.numBytesInGPU ?? 0, gpuAllocated: m.numBytesAllocatedInGPU ?? 0 });
  }
  run.weights = await Promise.all(model.getWeights().map(async (w) => Float32Array.from(await w.data())));
  tf.dispose([x, y]);
  sgd.dispose();
  model.dispose();
  return run;
}

/** Trains on wasm and webgpu from the same weights; expects equal losses (to `tol`, relative) and that it learns. */
async function sameAsWasm(make: () => tf.LayersModel, steps: number, batch: number, tol = 1e-4): Promise<Run> {
  const init = await initialWeights(make);
  const wasm = await train('wasm', make, init, steps, batch);
  const gpu = await train('webgpu', make, init, steps, batch);
  gpu.losses.forEach((l, i) => expect(Math.abs(l - wasm.losses[i]!), `loss ${i}: webgpu ${l}, wasm ${wasm.losses[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(wasm.losses[i]!))));
  expect(gpu.losses.at(-1)!).toBeLessThan(gpu.losses[0]!);
  return gpu;
}

// SwiftShader runs WebGPU on the CPU, slowly: room for a loaded machine.
const LONG = 300_000;

function tinyResidualNet(): tf.LayersModel {
  // A stem and one basic block with a zero-pad shortcut (rank-6 slice and pad in the step).
  const x = tf.input({ shape: [4, 4, 3] });
  let y = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  y = basicBlock(y, { filters: 8, strides: 2, shortcut: 'zero-pad', name: 'b1' });
  y = tf.layers.globalAveragePooling2d({}).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 3 }).apply(y) as tf.SymbolicTensor });
}

function tinyBottleneckNet(): tf.LayersModel {
  // Bottleneck blocks with a projection (option B) shortcut, and a basic block.
  const x = tf.input({ shape: [8, 8, 3] });
  let y = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  y = bottleneckBlock(y, { filters: 4, strides: 2, shortcut: 'projection', name: 'b1' });
  y = bottleneckBlock(y, { filters: 4, name: 'b2' });
  y = basicBlock(y, { filters: 8, strides: 2, shortcut: 'projection', name: 'b3' });
  y = tf.layers.globalAveragePooling2d({}).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 3 }).apply(y) as tf.SymbolicTensor });
}

function transformerNet(): tf.LayersModel {
  // Post-norm uses the same kernels in another order (kernels.test.ts in @resnet/backend checks them).
  const x = tf.input({ shape: [6, 8] });
  let y = transformerEncoderBlock(x, { dModel: 8, heads: 2, dFF: 16, norm: 'pre', activation: 'gelu', causal: true, name: 'layers.0' });
  y = tf.layers.globalAveragePooling1d().apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 3 }).apply(y) as tf.SymbolicTensor });
}

describe('training on WebGPU gives wasm\'s losses', () => {
  afterAll(() => tf.setBackend('cpu'));

  it('ResNet-20 (zero-pad option-A shortcuts), 5 SGD steps, narrow widths, batch 4', async () => {
    const run = await sameAsWasm(() => createModel('resnet20', { widths: [4, 8, 16], inputShape: [8, 8, 3] }), 5, 4);
    expect(run.losses).toHaveLength(5);
  }, LONG);

  it('bottleneck and basic blocks with projection (option-B) shortcuts, 3 steps', () => sameAsWasm(tinyBottleneckNet, 3, 4), LONG);

  it('a DenseNet (dense blocks, transition with average pooling), 3 steps', () =>
    sameAsWasm(() => densenet({ growthRate: 4, blockConfig: [2, 2], numInitFeatures: 8, stem: 'cifar', inputShape: [8, 8, 3], numClasses: 3 }), 3, 4), LONG);

  it('a transformer encoder block (pre-norm, GELU, causal self-attention), 3 steps', () => sameAsWasm(transformerNet, 3, 4), LONG);
});

describe('no leaks on WebGPU', () => {
  afterAll(() => tf.setBackend('cpu'));

  it('tensors and GPU bytes (live and allocated) stay flat over 100 training steps', async () => {
    const run = await train('webgpu', tinyResidualNet, await initialWeights(tinyResidualNet), 100, 4);
    expect(run.losses.every(Number.isFinite)).toBe(true);
    const after = run.memory.slice(5);
    expect(new Set(after.map((m) => m.tensors)).size).toBe(1);
    expect(new Set(after.map((m) => m.gpuBytes)).size).toBe(1);
    expect(new Set(after.map((m) => m.gpuAllocated)).size).toBe(1);
    expect(after[0]!.gpuBytes).toBeGreaterThan(0); // the model's weights do live on the GPU
  }, LONG);
});
