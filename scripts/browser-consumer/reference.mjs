// Run inside the consumer project (the installed tarballs, in Node): writes
// ResNet-18 weights of a fresh model as safetensors, loads them back through
// loadClassifier as the browser app will, and prints the logits on the app's
// input and the classify() top-5 of its fixed pixels.
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { createModel, exportWeights, getPretrained, loadClassifier, registerPretrained } from '@resnet/zoo';

const [out, size] = [process.argv[2], Number(process.argv[3] ?? 224)];
await selectBackend('wasm');
const source = createModel('resnet18', { inputShape: [size, size, 3] });
const bytes = exportWeights(source, { to: 'torchvision' });
source.dispose();
writeFileSync(out, bytes);
const entry = getPretrained('resnet18.tv_in1k');
registerPretrained('resnet18.browser', { ...entry, source: { ...entry.source, url: 'https://example.invalid/model.safetensors' }, inputSize: size, resizeSize: size });
const fetch = async () => ({ ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer });
const clf = await loadClassifier('resnet18.browser', { download: { fetch, cache: false, onWarning: () => {} } });
const x = tf.tidy(() => tf.sin(tf.range(0, size * size * 3)).reshape([1, size, size, 3]));
const logits = Array.from(await clf.model.predict(x).data());
// app.js' fixedPixels(), written out here (app.js imports browser-only setup).
const [width, height] = [48, 40];
const data = new Uint8ClampedArray(width * height * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 37 + (i >> 7)) % 256));
const top5 = await clf.classify({ data, width, height }, { topK: 5 });
console.log(JSON.stringify({ logits, top5 }));
