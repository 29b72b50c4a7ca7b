// The small classify app every bundler builds: a ResNet-18 classifier whose
// weights come from a Hub-like URL given in the query string, one prediction on
// a fixed input and one classify() of fixed pixels, the result left on window
// for the test to read. It imports the packages as a user would.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '@resnet/backend';
import { getPretrained, loadClassifier, registerPretrained } from '@resnet/zoo';

/** The fixed RGBA pixels reference.mjs classifies in Node too. */
export function fixedPixels() {
  const [width, height] = [48, 40];
  const data = new Uint8ClampedArray(width * height * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 37 + (i >> 7)) % 256));
  return { data, width, height };
}

async function main() {
  const q = new URLSearchParams(location.search);
  const size = Number(q.get('size') ?? 224);
  setWasmPaths(new URL('/wasm/', location.href).href);
  const t0 = performance.now();
  await selectBackend(q.get('backend') ?? 'wasm');
  const entry = getPretrained('resnet18.tv_in1k');
  registerPretrained('resnet18.browser', { ...entry, source: { ...entry.source, url: q.get('weights') }, inputSize: size, resizeSize: size });
  let progress = 0;
  const clf = await loadClassifier('resnet18.browser', { download: { onProgress: () => progress++, requireVerified: true } });
  const tLoaded = performance.now();
  const x = tf.tidy(() => tf.reshape(tf.sin(tf.range(0, size * size * 3)), [1, size, size, 3]));
  const y = clf.model.predict(x);
  const logits = Array.from(await y.data());
  const tPredicted = performance.now();
  tf.dispose([x, y]);
  const top5 = await clf.classify(fixedPixels(), { topK: 5 });
  clf.dispose();
  window.__result = { logits, top5, fused: clf.isFused, progress, backend: tf.getBackend(), loadMs: tLoaded - t0, firstPredictionMs: tPredicted - t0 };
}

main().catch((e) => {
  window.__result = { error: String(e?.stack ?? e) };
});
