// Runs in a Web Worker of the browser bench page (bench/src/browser.ts), set up
// like the demo's compute worker: the tfjs wasm backend with @resnet/backend's
// kernels. Answers one message with timings of a ResNet-20 training step and a
// ResNet-50 batch-1 inference, with our SIMD kernels on and off.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { prepareSimdKernels, registerWasmTrainingKernels, setSimdKernelOptions } from '@resnet/backend';
import { fuseForInference } from '@resnet/blocks';
import { createModel } from '@resnet/zoo';

interface Request { trainSteps: number; trainBatch: number; inferRuns: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function time(runs: number, fn: () => void): Promise<number> {
  fn(); // warm-up (kernel setup, filter caches)
  fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

async function bench({ trainSteps, trainBatch, inferRuns }: Request) {
  setWasmPaths(new URL('./', self.location.href).href);
  tf.enableProdMode();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
  registerWasmTrainingKernels();
  await prepareSimdKernels();
  const env = {
    crossOriginIsolated: self.crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    wasmThreads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    wasmSimd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
  };
  const resnet20 = createModel('resnet20');
  const opt = tf.train.momentum(0.1, 0.9);
  const x = tf.randomNormal([trainBatch, 32, 32, 3]);
  const y = tf.oneHot(tf.randomUniform([trainBatch], 0, 10, 'int32'), 10);
  const step = () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, resnet20.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    loss.dataSync();
    loss.dispose();
  };
  const resnet50 = createModel('resnet50');
  const fused = fuseForInference(resnet50);
  const image = tf.randomNormal([1, 224, 224, 3]);
  const infer = () => tf.tidy(() => { fused.predict(image).dataSync(); });
  const results: Record<string, number> = {};
  for (const ours of [true, false]) {
    setSimdKernelOptions({ enabled: ours });
    const label = ours ? 'ours' : 'xnnpack';
    results[`train_${label}_ms`] = await time(trainSteps, step);
    results[`infer_${label}_ms`] = await time(inferRuns, infer);
  }
  setSimdKernelOptions({ enabled: true });
  tf.dispose([x, y, image]);
  fused.dispose();
  resnet20.dispose();
  resnet50.dispose();
  return { ...env, ...results };
}

self.onmessage = (e: MessageEvent<Request>) => {
  bench(e.data).then((result) => self.postMessage({ result }), (err: unknown) => self.postMessage({ error: String((err as Error)?.stack ?? err) }));
};
