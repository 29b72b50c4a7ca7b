// Writes public/models/mnist-meta.json from the two exported models' training.json
// (written by `resnet-train export --to tfjs`): how the page must prepare a digit
// (input size, normalisation: resnet-train's MNIST loader pads 28→32 with zeros and
// normalises with MNIST's mean 0.1307 and std 0.3081) and a line on how they were trained.
//
//   node scripts/write-mnist-meta.mjs "<the exact train commands>"
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitOnHelp } from '../../../scripts/lib/usage.mjs';

exitOnHelp(`usage: node apps/demo/scripts/write-mnist-meta.mjs "<the exact train commands>"

Writes apps/demo/public/models/mnist-meta.json from the two exported models' training.json.`);

const models = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'models');
const read = (dir) => ({
  training: JSON.parse(readFileSync(join(models, dir, 'training.json'), 'utf8')),
  model: JSON.parse(readFileSync(join(models, dir, 'model.json'), 'utf8')),
});
const res = read('mnist-resnet');
const plain = read('mnist-plain');
const inputShape = res.model.modelTopology.model_config?.config?.layers?.[0]?.config?.batch_input_shape
  ?? res.model.modelTopology.config?.layers?.[0]?.config?.batch_input_shape;
if (!inputShape || inputShape[1] !== inputShape[2] || inputShape[3] !== 1) throw new Error(`unexpected input shape ${JSON.stringify(inputShape)}`);
const pct = (v) => `${(100 * v).toFixed(1)}%`;
const line = (r) => `${r.training.model} (${r.training.epoch} epochs, final test error ${pct(r.training.metrics.testError)})`;
const meta = {
  inputSize: inputShape[1],
  mean: 0.1307,
  std: 0.3081,
  trainedWith: `${line(res)} and ${line(plain)}, trained by resnet-train on the 8,000-digit MNIST training pool: ${process.argv[2] ?? '(see README)'}`,
};
writeFileSync(join(models, 'mnist-meta.json'), JSON.stringify(meta, null, 2) + '\n');
console.log(meta);
