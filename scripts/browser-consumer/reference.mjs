// Run inside the consumer project (the installed tarballs, in Node): writes
// ResNet-18 weights of a fresh model as safetensors, loads them back through
// loadWeights as the browser will, and prints the logits on the app's input.
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { createModel, exportWeights, loadWeights } from '@resnet/zoo';

const [out, size] = [process.argv[2], Number(process.argv[3] ?? 224)];
await selectBackend('wasm');
const source = createModel('resnet18', { inputShape: [size, size, 3] });
const bytes = exportWeights(source, { to: 'torchvision' });
source.dispose();
writeFileSync(out, bytes);
const model = createModel('resnet18', { inputShape: [size, size, 3] });
await loadWeights(model, bytes, { from: 'torchvision' });
const x = tf.tidy(() => tf.sin(tf.range(0, size * size * 3)).reshape([1, size, size, 3]));
console.log(JSON.stringify(Array.from(await model.predict(x).data())));
