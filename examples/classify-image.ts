/**
 * Classify images with pretrained ImageNet weights in a few lines: the weights
 * tag brings the model, the eval transform it was evaluated with (resize,
 * crop, interpolation, mean/std) and the class names.
 *
 *   pnpm tsx examples/classify-image.ts cat.jpg dog.png                       # resnet50.tv2_in1k, downloaded once into the cache (progress bar)
 *   pnpm tsx examples/classify-image.ts --tag resnet18.tv_in1k cat.jpg
 *   pnpm tsx examples/classify-image.ts --weights resnet50.safetensors cat.jpg  # a file you already have (torchvision state dict)
 *   pnpm tsx examples/classify-image.ts --tiny                                # self-contained: makes its own weights file and image
 *
 * Images are decoded with `sharp` (JPEG, PNG, WebP, …) and resized as
 * torchvision's PIL pipeline resizes them. Getting a weights file by hand, in
 * Python: `save_file(torchvision.models.resnet50(weights="IMAGENET1K_V2").state_dict(), "resnet50.safetensors")`.
 *
 * With --tiny (what CI runs; it never downloads) the example exports a randomly
 * initialised ResNet-18 as a local weights file, loads it through the tag
 * (`loadClassifier(tag, { weights })`), and classifies a generated PNG: the classes are then meaningless,
 * the code path is the real one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { createModel, exportWeights, loadClassifier } from '@resnet/zoo';
import { encodePng } from './lib/image.js';
import { progressBar } from './lib/progress.js';

const { values: args, positionals: images } = parseArgs({
  allowPositionals: true,
  options: {
    tag: { type: 'string', default: 'resnet50.tv2_in1k' },
    weights: { type: 'string' },
    top: { type: 'string', default: '5' },
    tiny: { type: 'boolean', default: false },
  },
});

tf.enableProdMode();
const backend = await selectBackend('wasm');
console.log(`backend: ${backend.name} (${backend.device})`);

const tmp = mkdtempSync(join(tmpdir(), 'resnet-classify-'));
try {
  const tag = args.tiny ? 'resnet18.tv_in1k' : args.tag;
  let weightsFile = args.weights;
  if (args.tiny) {
    weightsFile = join(tmp, 'resnet18-random-init.safetensors');
    writeFileSync(weightsFile, exportWeights(createModel('resnet18'), { to: 'torchvision' }));
    console.log(`--tiny: a randomly initialised resnet18 state dict stands in for the download (${weightsFile})`);
  }
  // Published weights download once into the cache (a progress bar on stderr), checked
  // against the Hub's SHA-256; later runs, offline too, use the cache. A local file
  // (`weights`) loads with the tag's transform and labels, read in place.
  const download = { onProgress: progressBar(tag) };

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
    images.push(join(tmp, 'generated.png'));
    writeFileSync(images[0]!, encodePng(rgb, w, h));
  }

  // The three lines that matter:
  const clf = await loadClassifier(tag, { download, weights: weightsFile });
  console.log(`${tag}: ${JSON.stringify(clf.transform)}`);
  const results = await clf.classify(images, { topK: Number(args.top) });

  images.forEach((file, i) => {
    console.log(`${file}:`);
    for (const p of results[i]!) console.log(`  ${String(p.index).padStart(4)}  ${(p.probability * 100).toFixed(2).padStart(6)}%  ${p.label}`);
  });
  const before = tf.memory().numTensors;
  await clf.classify(images[0]!);
  if (tf.memory().numTensors !== before) throw new Error(`classify leaked ${tf.memory().numTensors - before} tensors`);
  if (results.some((r) => r.length !== Number(args.top))) throw new Error('expected top-K classes for every image');
  clf.dispose();
  console.log('example ok');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
