// Runs in a Web Worker of the browser bench page (bench/src/browser.ts): the
// peer of ./worker.ts, onnxruntime-web's wasm execution provider on the same
// ResNet-50 (torchvision's, exported to ONNX by bench/python/export_resnet50.py),
// batch 1, on as many threads as the page allows tfjs (1 unless cross-origin isolated).
import * as ort from 'onnxruntime-web/wasm'; // the wasm EP alone (the default entry also loads the WebGPU/JSEP build)

interface Request { inferRuns: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function bench({ inferRuns }: Request) {
  ort.env.wasm.wasmPaths = new URL('./', self.location.href).href;
  ort.env.wasm.numThreads = self.crossOriginIsolated ? navigator.hardwareConcurrency : 1;
  ort.env.logLevel = 'error';
  const model = new Uint8Array(await (await fetch('./resnet50-nbatch.onnx')).arrayBuffer());
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const input = new ort.Tensor('float32', Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i)), [1, 3, 224, 224]);
  const run = async () => { await session.run({ input }); };
  await run(); // warm-up
  await run();
  const ms: number[] = [];
  for (let i = 0; i < inferRuns; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  await session.release();
  return { ort_infer_ms: median(ms), ortThreads: ort.env.wasm.numThreads };
}

self.onmessage = (e: MessageEvent<Request>) => {
  bench(e.data).then((result) => self.postMessage({ result }), (err: unknown) => self.postMessage({ error: String((err as Error)?.stack ?? err) }));
};
