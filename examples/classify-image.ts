/**
 * Load torchvision ImageNet weights (a safetensors state dict) into a zoo
 * ResNet and classify images.
 *
 *   pnpm tsx examples/classify-image.ts --weights resnet50.safetensors [--model resnet50] [--from torchvision|timm] cat.jpg dog.png
 *   pnpm tsx examples/classify-image.ts --pretrained resnet50.tv2_in1k cat.jpg   # downloads (progress bar), caches, verifies
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
import { createModel, decodePredictions, exportWeights, getPretrained, loadWeights, preprocess } from '@resnet/zoo';
import { decodeImage, encodePng } from './lib/image.js';
import { progressBar } from './lib/progress.js';

const { values: args, positionals: images } = parseArgs({
  allowPositionals: true,
  options: {
    weights: { type: 'string' },
    pretrained: { type: 'string' },
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
  if (!args.pretrained && !weightsPath) {
    // Stand-in for a downloaded file: a state dict written by exportWeights in
    // torchvision's names and layouts (what PyTorch's state_dict() holds).
    reference = createModel(args.model);
    weightsPath = join(tmp, `${args.model}-random-init.safetensors`);
    writeFileSync(weightsPath, exportWeights(reference, { to: 'torchvision' }));
    console.log(`no --weights: wrote a randomly initialised ${args.model} state dict to ${weightsPath}`);
  }

  // --pretrained: published weights by tag, downloaded once into the cache (with a
  // progress bar), checked against the Hub's SHA-256; later runs, also offline, use the cache.
  const model = args.pretrained
    ? await createModel(getPretrained(args.pretrained).model, {
        weights: args.pretrained,
        download: { onProgress: progressBar(args.pretrained) },
        onReport: (_r, verified) => console.log(`loaded ${args.pretrained} (${verified ? 'verified' : 'NOT verified'})`),
      })
    : createModel(args.model);
  if (!args.pretrained) {
    const t0 = Date.now();
    // strict: every key must match, or nothing is loaded and the error lists them all
    const report = await loadWeights(model, weightsPath!, { from: args.from });
    console.log(
      `loaded ${report.loaded.length} tensors from ${weightsPath} in ${Date.now() - t0} ms` +
        (report.ignored.length ? ` (${report.ignored.length} ignored, e.g. ${report.ignored[0]})` : ''),
    );
    for (const note of report.notes) console.log(`  note: ${note}`);
  }

  if (images.length === 0) {
    // A generated test picture: a colour gradient with a dark disc.
    const [w, h] = [320, 240];
    const rgb = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const dark = (x / w - 0.5) ** 2 + (y / h - 0.5) ** 2 < 0.04 ? 0.2 : 1;
        rgb.set([(255 * x * dark) / w, (255 * y * dark) / h, 255 * (1 - x / w) * dark].map(Math.round), 3 * (y * w + x));
      }
    }
    const file = join(tmp, 'generated.png');
    writeFileSync(file, encodePng(rgb, w, h));
    images.push(file);
  }

  const top = Number(args.top);
  for (const file of images) {
    const before = tf.memory().numTensors;
    const image = decodeImage(readFileSync(file), file);
    // torchvision's eval transform: shorter side 256, center crop 224, ImageNet mean/std
    const input = preprocess(image, { mode: 'torch' });
    const logits = model.predict(input) as tf.Tensor2D;
    console.log(`${file} (${image.width}×${image.height}):`);
    for (const p of decodePredictions(logits, top)[0]!) {
      console.log(`  ${String(p.index).padStart(4)}  ${(p.probability * 100).toFixed(2).padStart(6)}%  ${p.label}`);
    }

    if (reference) {
      // the loaded model must reproduce the exporting model exactly
      const ref = reference.predict(input) as tf.Tensor;
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(ref, logits))).dataSync()[0]!);
      console.log(`  max |logit difference| vs the exporting model: ${diff}`);
      if (diff !== 0) throw new Error(`weights did not round-trip: logits differ by up to ${diff}`);
      ref.dispose();
    }
    tf.dispose([input, logits]);
    if (tf.memory().numTensors !== before) throw new Error(`leaked ${tf.memory().numTensors - before} tensors`);
  }
  console.log('example ok');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
