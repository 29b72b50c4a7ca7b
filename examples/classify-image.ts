/**
 * Load torchvision ImageNet weights (a safetensors state dict) into a zoo
 * ResNet and classify images.
 *
 *   pnpm tsx examples/classify-image.ts --weights resnet50.safetensors [--model resnet50] [--from torchvision|timm] cat.jpg dog.png
 *   pnpm tsx examples/classify-image.ts --tiny      # self-contained: makes its own weights file and image
 *
 * Getting the weights file: in Python,
 *
 *   import torchvision; from safetensors.torch import save_file
 *   m = torchvision.models.resnet50(weights="IMAGENET1K_V2")
 *   save_file(m.state_dict(), "resnet50.safetensors")
 *
 * or download `model.safetensors` of `timm/resnet50.tv2_in1k` from the Hugging
 * Face hub and pass `--from timm`. The layer names of zoo models are
 * torchvision's, so loading is a layout change (OIHW → HWIO), not a rename.
 *
 * Without --weights (and in CI, which never downloads anything) the example
 * exports a randomly initialised ResNet-18 with `exportWeights` to a temp file,
 * loads that file into a fresh model, checks that both predict the same logits,
 * and classifies a generated PNG: the classes are then meaningless, the code
 * path is the real one.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { createModel, exportWeights, loadWeights } from '@resnet/zoo';
import { decodeImage, encodePng, preprocessImageNet } from './lib/image.js';

const { values: args, positionals: images } = parseArgs({
  allowPositionals: true,
  options: {
    weights: { type: 'string' },
    model: { type: 'string', default: 'resnet18' },
    from: { type: 'string', default: 'torchvision' },
    top: { type: 'string', default: '5' },
    tiny: { type: 'boolean', default: false },
  },
});
if (args.from !== 'torchvision' && args.from !== 'timm') throw new Error(`--from must be 'torchvision' or 'timm', got '${args.from}'`);

tf.enableProdMode();
const backend = await selectBackend('wasm');
console.log(`backend: ${backend.name} (${backend.device})`);

const tmp = mkdtempSync(join(tmpdir(), 'resnet-classify-'));
try {
  let weightsPath = args.weights;
  let reference: tf.LayersModel | undefined;
  if (!weightsPath) {
    // Stand-in for a downloaded file: a state dict written by exportWeights in
    // torchvision's names and layouts (what PyTorch's state_dict() holds).
    reference = createModel(args.model);
    weightsPath = join(tmp, `${args.model}-random-init.safetensors`);
    writeFileSync(weightsPath, exportWeights(reference, { to: 'torchvision' }));
    console.log(`no --weights: wrote a randomly initialised ${args.model} state dict to ${weightsPath}`);
  }

  const model = createModel(args.model);
  const t0 = Date.now();
  // strict: every key must match, or nothing is loaded and the error lists them all
  const report = await loadWeights(model, weightsPath, { from: args.from });
  console.log(
    `loaded ${report.loaded.length} tensors from ${weightsPath} in ${Date.now() - t0} ms` +
      (report.ignored.length ? ` (${report.ignored.length} ignored, e.g. ${report.ignored[0]})` : ''),
  );
  for (const note of report.notes) console.log(`  note: ${note}`);

  if (images.length === 0) {
    // A generated test picture: a colour gradient with a dark disc.
    const pic = tf.tidy(() => {
      const [h, w] = [240, 320];
      const yy = tf.linspace(0, 1, h).reshape([h, 1, 1]).tile([1, w, 1]);
      const xx = tf.linspace(0, 1, w).reshape([1, w, 1]).tile([h, 1, 1]);
      const disc = xx.sub(0.5).square().add(yy.sub(0.5).square()).less(0.04).toFloat();
      const rgb = tf.concat([xx, yy, tf.onesLike(xx).sub(xx)], 2).mul(tf.scalar(1).sub(disc.mul(0.8)));
      return rgb.mul(255).round().toInt() as tf.Tensor3D;
    });
    const file = join(tmp, 'generated.png');
    writeFileSync(file, await encodePng(pic));
    pic.dispose();
    images.push(file);
  }

  const top = Number(args.top);
  for (const file of images) {
    const before = tf.memory().numTensors;
    const image = decodeImage(readFileSync(file), file);
    const input = preprocessImageNet(image);
    const logits = model.predict(input) as tf.Tensor2D;
    const probs = tf.softmax(logits);
    const { values, indices } = tf.topk(probs, top);
    const [p, idx] = [await values.data(), await indices.data()];
    console.log(`${file} (${image.shape[1]}×${image.shape[0]}):`);
    for (let i = 0; i < top; i++) console.log(`  class ${String(idx[i]).padStart(4)}  ${(p[i]! * 100).toFixed(2)}%`);

    if (reference) {
      // the loaded model must reproduce the exporting model exactly
      const ref = reference.predict(input) as tf.Tensor;
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(ref, logits))).dataSync()[0]!);
      console.log(`  max |logit difference| vs the exporting model: ${diff}`);
      if (diff !== 0) throw new Error(`weights did not round-trip: logits differ by up to ${diff}`);
      ref.dispose();
    }
    tf.dispose([image, input, logits, probs, values, indices]);
    if (tf.memory().numTensors !== before) throw new Error(`leaked ${tf.memory().numTensors - before} tensors`);
  }
  console.log('example ok');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
