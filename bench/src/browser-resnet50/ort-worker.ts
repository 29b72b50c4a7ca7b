// The onnxruntime-web contestant of the browser ResNet-50 bench, in a module Web
// Worker, loading as transformers.js does: the ONNX bytes from the Cache API,
// else fetched and put there; then an InferenceSession on the wasm EP (SIMD,
// numThreads as asked). Bundled with the condition onnxruntime-web-use-extern-wasm,
// so its glue and wasm files are fetched from this page's folder.
import * as ort from 'onnxruntime-web/wasm';
import { median, timeRuns } from '../timing.js';
import { pageClockMs, type BenchRequest, type BenchResult, type Phase } from './protocol.js';

/** The Cache API bucket transformers.js uses. */
const CACHE_NAME = 'transformers-cache';

async function bench(req: BenchRequest, pageOrigin: number): Promise<BenchResult> {
  const image = new Float32Array(await (await fetch(req.inputUrl)).arrayBuffer());
  const phases: Phase[] = [];
  const mark = (name: string) => phases.push({ name, endMs: pageClockMs(pageOrigin) });
  mark('worker start + input fetch');

  ort.env.wasm.numThreads = req.threads;
  ort.env.wasm.simd = true;
  ort.env.wasm.wasmPaths = new URL('./', self.location.href).href;
  const cache = await caches.open(CACHE_NAME);
  const hit = await cache.match(req.weightsUrl);
  let bytes: Uint8Array<ArrayBuffer>;
  if (hit) {
    bytes = new Uint8Array(await hit.arrayBuffer());
    mark('cache read');
  } else {
    const res = await fetch(req.weightsUrl);
    if (!res.ok) throw new Error(`${req.weightsUrl}: HTTP ${res.status}`);
    bytes = new Uint8Array(await res.arrayBuffer());
    mark('fetch');
    await cache.put(req.weightsUrl, new Response(bytes, { headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) } }));
    mark('cache write');
  }
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  mark('session (backend, parse, build)');

  const feed = (b: number) => {
    const x = new Float32Array(b * image.length);
    for (let i = 0; i < b; i++) x.set(image, i * image.length);
    return { input: new ort.Tensor('float32', x, [b, 3, 224, 224]) };
  };
  const logits = Array.from((await session.run(feed(1))).logits!.data as Float32Array);
  mark('first prediction');

  const warmMs: Record<string, number> = {};
  for (const b of req.batches) {
    const f = feed(b);
    warmMs[b] = median(await timeRuns(() => session.run(f), { warmup: req.warmup, runs: req.runs }));
  }
  await session.release();
  return { crossOriginIsolated: self.crossOriginIsolated, engine: `onnxruntime-web ${ort.env.versions.web ?? ''} wasm EP, numThreads ${req.threads}`, cached: hit != null, phases, logits, warmMs };
}

self.onmessage = (e: MessageEvent<{ request: BenchRequest; pageOrigin: number }>) => {
  bench(e.data.request, e.data.pageOrigin).then((result) => self.postMessage({ result }), (err: unknown) => self.postMessage({ error: String((err as Error)?.stack ?? err) }));
};
