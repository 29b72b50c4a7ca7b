// The page's compute worker: builds and measures the models behind the analysis
// figures (sections 1, 3, 4 and 5) off the main thread, on the tfjs wasm backend
// (with @resnet/backend's training kernels, so gradients of convolutions work)
// or the cpu backend. The main thread keeps its own backend for the MNIST model.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '@resnet/backend';
import { buildModel } from '@resnet/zoo';
import { countMacs, countParams } from '@resnet/analysis';
import { familyRow } from '../lib/family-row.js';
import { highwayFigure } from '../lib/highway-figure.js';
import { normFigure } from '../lib/norm-figure.js';
import { denseNetFigure } from '../lib/densenet-figure.js';
import { gradientProfile, type GradientKind } from '../lib/gradients.js';
import { lesionFigure } from '../lib/lesion-study.js';
import type { ComputeRequest, ComputeResponse, InitArgs } from '../lib/compute-protocol.js';

async function init({ backend, wasmPaths }: InitArgs): Promise<{ backend: string }> {
  tf.enableProdMode();
  if (backend === 'wasm') {
    setWasmPaths(wasmPaths);
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise in the worker');
    registerWasmTrainingKernels();
  } else if (!(await tf.setBackend('cpu'))) {
    throw new Error('the cpu backend did not initialise in the worker');
  }
  await tf.ready();
  return { backend: tf.getBackend() };
}

const tasks: Record<string, (args: never) => unknown> = {
  init,
  familyRow: ({ name }: { name: string }) => familyRow(name, buildModel, countParams, countMacs),
  highway: () => highwayFigure(),
  norm: () => normFigure(),
  densenet: () => denseNetFigure(),
  gradientProfile: ({ depth, kind }: { depth: number; kind: GradientKind }) => gradientProfile(depth, kind),
  lesion: ({ base }: { base: string }) => lesionFigure(base),
};

self.onmessage = async (e: MessageEvent<ComputeRequest>) => {
  const { id, task, args } = e.data;
  const t0 = performance.now();
  let reply: ComputeResponse;
  try {
    const fn = tasks[task];
    if (!fn) throw new Error(`unknown task '${task}'; known: ${Object.keys(tasks).join(', ')}`);
    const result = await fn(args as never);
    reply = { id, ok: true, result, ms: performance.now() - t0, tensors: tf.memory().numTensors };
  } catch (err) {
    reply = { id, ok: false, error: err instanceof Error ? err.message : String(err), ms: performance.now() - t0, tensors: tf.memory().numTensors };
  }
  self.postMessage(reply);
};
