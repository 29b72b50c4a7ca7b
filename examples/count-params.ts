/**
 * Parameter and MAC counts of zoo models, in both conventions people quote,
 * checked against torchvision.
 *
 *   pnpm tsx examples/count-params.ts                 # every model in the reference table
 *   pnpm tsx examples/count-params.ts resnet50 resnet56
 *   pnpm tsx examples/count-params.ts --tiny          # resnet18, resnet50, resnet20 (what CI runs)
 *
 * - PyTorch counts parameters only: `sum(p.numel() for p in model.parameters())`.
 * - Keras / tfjs `model.countParams()` also counts BatchNorm moving mean and
 *   variance, as non-trainable weights.
 * - MACs: multiply-accumulates for one image. torchvision's "GFLOPS" column
 *   counts convolutions and linear layers; `countMacs` also counts BatchNorm,
 *   pooling and residual adds (one per element), reported separately here.
 *
 * The reference numbers come from torchvision 0.14 via
 * examples/reference/model_stats.py (its output is model-stats.json).
 * Exits with status 1 if any count differs.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { countMacs, countParams, formatMacs } from '@resnet/analysis';
import { buildModel } from '@resnet/zoo';

interface Reference {
  params: number;
  bnBuffers: number;
  macs: number;
  inputSize: number;
}
const reference = JSON.parse(readFileSync(new URL('./reference/model-stats.json', import.meta.url), 'utf8')) as Record<string, Reference>;
delete reference._meta;

const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const tiny = process.argv.includes('--tiny');
const models = names.length > 0 ? names : tiny ? ['resnet18', 'resnet50', 'resnet20'] : Object.keys(reference);

tf.enableProdMode();
// Only weights are created (no forward pass), so the backend hardly matters.
await tf.setBackend('cpu');

const fmt = (n: number) => n.toLocaleString('en-US');
const rows: string[][] = [['model', 'params (PyTorch)', 'params (Keras total)', 'MACs conv+fc', 'MACs all', 'torchvision']];
let failures = 0;
for (const name of models) {
  const ref = reference[name];
  const model = buildModel(name); // a name typed string: buildModel always returns the model (createModel could return a promise for a tag)
  const torch = countParams(model, { convention: 'torch' });
  const keras = countParams(model, { convention: 'keras' });
  const macs = countMacs(model);
  const convFc = macs.byKind.conv + macs.byKind.dense;
  let verdict = 'no reference';
  if (ref) {
    const bad: string[] = [];
    if (torch.total !== ref.params) bad.push(`params ${fmt(torch.total)} ≠ ${fmt(ref.params)}`);
    if (keras.total !== ref.params + ref.bnBuffers) bad.push(`Keras total ${fmt(keras.total)} ≠ ${fmt(ref.params + ref.bnBuffers)}`);
    if (keras.total !== model.countParams()) bad.push(`Keras total ≠ model.countParams() ${fmt(model.countParams())}`);
    if (convFc !== ref.macs) bad.push(`conv+fc MACs ${fmt(convFc)} ≠ ${fmt(ref.macs)}`);
    verdict = bad.length === 0 ? 'match' : `MISMATCH: ${bad.join('; ')}`;
    failures += bad.length === 0 ? 0 : 1;
  }
  rows.push([name, fmt(torch.total), fmt(keras.total), formatMacs(convFc), formatMacs(macs.total), verdict]);
  model.dispose();
}

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const [i, r] of rows.entries()) {
  console.log(r.map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
if (failures > 0) {
  console.error(`${failures} model(s) differ from torchvision`);
  process.exit(1);
}
console.log('example ok');
