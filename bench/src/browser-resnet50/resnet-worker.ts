// The @resnet contestant of the browser ResNet-50 bench, in a module Web Worker,
// written as an app would: selectBackend('wasm'), registerPretrained with a
// SHA-256 and the fp16 / q8 variants (the bytes kept in the Cache API),
// createModel(tag, { dtype, backendReady }) (download or cache read while the
// backend starts, then build and load), fuseForInference. Each step is a phase
// of the first prediction.
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '@resnet/backend';
import { fuseForInference } from '@resnet/blocks';
import { createModel, getPretrained, registerPretrained } from '@resnet/zoo';
import { median, timeRuns } from '../timing.js';
import { pageClockMs, type BenchRequest, type BenchResult, type Phase } from './protocol.js';

const TAG = 'resnet50.bench_tv';

async function bench(req: BenchRequest, pageOrigin: number): Promise<BenchResult> {
  const image = new Float32Array(await (await fetch(req.inputUrl)).arrayBuffer());
  const phases: Phase[] = [];
  const mark = (name: string) => phases.push({ name, endMs: pageClockMs(pageOrigin) });
  mark('worker start + input fetch');

  setWasmPaths(new URL('./', self.location.href).href);
  setThreadsCount(req.threads);
  // The backend starts while the weights are read (createModel's backendReady): both wait on
  // other threads (wasm compilation; the Cache API or the network), so they overlap.
  const backend = selectBackend('wasm', { wasmThreads: req.threads }).then((info) => {
    tf.enableProdMode();
    mark('backend (overlaps the read)');
    return info;
  });
  backend.catch(() => {});

  const entry = getPretrained('resnet50.tv_in1k');
  registerPretrained(TAG, { ...entry, source: { ...entry.source, url: req.weightsUrl, sha256: req.sha256, revision: null, variants: req.variants } });
  // createModel(tag) as the README's loadClassifier path: download (or cache read) with the
  // hash checked, then the model built with zero kernels and the weights loaded into it.
  let cached = false;
  const model = await createModel(TAG, {
    dtype: req.dtype,
    backendReady: backend,
    download: {
      requireVerified: true,
      onStatus: (e) => {
        // No progress on a cache hit; 'cached' comes after the cache read and the verified-mark check.
        if (e.status === 'progress' && e.total != null && e.loaded >= e.total) mark('fetch');
        if (e.status === 'cached') mark('cache read + verify');
        if (e.status === 'done') {
          cached = e.cached;
          if (!e.cached) mark('verify + cache write');
        }
      },
    },
  });
  const info = await backend;
  mark('build + parse + load');
  const fused = fuseForInference(model);
  mark('fuse');

  const x1 = tf.tidy(() => tf.transpose(tf.tensor4d(image, [1, 3, 224, 224]), [0, 2, 3, 1]));
  const y = fused.predict(x1);
  const logits = Array.from((await y.data()) as Float32Array);
  y.dispose();
  mark('first prediction');

  const warmMs: Record<string, number> = {};
  for (const b of req.batches) {
    const x = tf.tidy(() => tf.tile(x1, [b, 1, 1, 1]));
    warmMs[b] = median(await timeRuns(async () => { const out = fused.predict(x); await out.data(); out.dispose(); }, { warmup: req.warmup, runs: req.runs }));
    x.dispose();
  }
  tf.dispose(x1);
  fused.dispose();
  model.dispose();
  const w = info.wasm;
  const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const engine = `@resnet ${info.device}; tfjs ${threaded ? 'threaded-SIMD' : 'SIMD'} build (threads asked ${req.threads}, XNNPACK pool ${getThreadsCount()}), ${w?.sharedMemory ? 'shared' : 'unshared'} memory`;
  // The backend and the read overlap: phases in the order they ended.
  phases.sort((a, b) => a.endMs - b.endMs);
  return { crossOriginIsolated: self.crossOriginIsolated, engine, cached, phases, logits, warmMs };
}

self.onmessage = (e: MessageEvent<{ request: BenchRequest; pageOrigin: number }>) => {
  bench(e.data.request, e.data.pageOrigin).then((result) => self.postMessage({ result }), (err: unknown) => self.postMessage({ error: String((err as Error)?.stack ?? err) }));
};
