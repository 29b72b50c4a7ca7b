// The small app every bundler builds: ResNet-18 with weights from a Hub-like
// URL given in the query string, one prediction on a fixed input, the result
// left on window for the test to read. It imports the packages as a user would.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '@resnet/backend';
import { createModel, getPretrained, registerPretrained } from '@resnet/zoo';

async function main() {
  const q = new URLSearchParams(location.search);
  const size = Number(q.get('size') ?? 224);
  setWasmPaths(new URL('/wasm/', location.href).href);
  const t0 = performance.now();
  await selectBackend(q.get('backend') ?? 'wasm');
  registerPretrained('resnet18.browser', { ...getPretrained('resnet18.tv_in1k'), source: { ...getPretrained('resnet18.tv_in1k').source, url: q.get('weights') } });
  let verified = null;
  let progress = 0;
  const model = await createModel('resnet18', {
    weights: 'resnet18.browser',
    inputShape: [size, size, 3],
    download: { onProgress: () => progress++, requireVerified: true },
    onReport: (_r, v) => (verified = v),
  });
  const tLoaded = performance.now();
  const x = tf.tidy(() => tf.reshape(tf.sin(tf.range(0, size * size * 3)), [1, size, size, 3]));
  const y = model.predict(x);
  const logits = Array.from(await y.data());
  const tPredicted = performance.now();
  tf.dispose([x, y]);
  model.dispose();
  window.__result = { logits, verified, progress, backend: tf.getBackend(), loadMs: tLoaded - t0, firstPredictionMs: tPredicted - t0 };
}

main().catch((e) => {
  window.__result = { error: String(e?.stack ?? e) };
});
