// The app of time-resnet50.mjs: ResNet-50 with weights from a Hub-like URL, on
// WebGL (tfjs' own backend) or wasm (@resnet/backend), one prediction; the time
// from navigation start to the first prediction is left on window.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '@resnet/backend';
import { createModel, getPretrained, registerPretrained } from '@resnet/zoo';

async function main() {
  const q = new URLSearchParams(location.search);
  setWasmPaths(new URL('/wasm/', location.href).href);
  if (q.get('backend') === 'webgl') await tf.setBackend('webgl');
  else await selectBackend('wasm');
  registerPretrained('resnet50.timing', { ...getPretrained('resnet50.tv2_in1k'), source: { ...getPretrained('resnet50.tv2_in1k').source, url: q.get('weights') } });
  let verified = null;
  const model = await createModel('resnet50.timing', { onReport: (_r, v) => (verified = v) });
  const loaded = performance.now();
  const x = tf.tidy(() => tf.sin(tf.range(0, 224 * 224 * 3)).reshape([1, 224, 224, 3]));
  const y = model.predict(x);
  const top = (await tf.argMax(y, 1).data())[0];
  window.__result = { backend: tf.getBackend(), verified, top, loadedMs: loaded, firstPredictionMs: performance.now() };
}

main().catch((e) => {
  window.__result = { error: String(e?.stack ?? e) };
});
