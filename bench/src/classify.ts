// bench/classify: images/s of `classify` on ResNet-50 (wasm) for batch 1 and 8, decode
// and preprocessing included, next to the model's own predict time, so the pipeline's
// share of the total shows. Inputs: the nine fixture photos (0.03–0.8 MP, JPEG / PNG /
// WebP) as bytes in memory, and the same with phone-camera-sized 12 MP JPEGs.
//   pnpm bench:classify [--rounds 3] [--runs 2] [--warmup 1] [--wasm-threads N]
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { Classifier, createModel, decodeImage, getTransforms, IMAGENET_CLASSES, preprocess } from '@resnet/zoo';
import sharp from 'sharp';
import { benchFlags, intFlag } from './args.js';
import { selectOrSkip } from './select.js';
import { timeRuns } from './timing.js';

const flags = benchFlags(process.argv.slice(2), 'usage: pnpm bench:classify [--rounds 3] [--runs 2] [--warmup 1] [--wasm-threads N]');
const { args, log } = flags;
const rounds = intFlag(args, 'rounds', 3);
const runs = intFlag(args, 'runs', 2);
const warmup = intFlag(args, 'warmup', 1);
tf.enableProdMode();

const info = await selectOrSkip('wasm', flags);
if (!info) process.exit(1);
log(`backend: ${info.name} (${info.device}); ${rounds} rounds × ${runs} runs, medians [min–max over rounds]`);

const dir = fileURLToPath(new URL('../../tools/fixtures/zoo/photos/', import.meta.url));
const photos = readdirSync(dir).filter((f) => /\.(jpg|png|webp)$/.test(f)).map((f) => new Uint8Array(readFileSync(dir + f)));
// Phone-sized photos: the fixtures upscaled to 4032×3024 and re-encoded (made here, not committed).
const phone = await Promise.all(photos.slice(0, 8).map(async (b) => new Uint8Array(await sharp(b).resize(4032, 3024, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer())));

const transform = getTransforms('resnet50.tv2_in1k');
const clf = new Classifier(createModel('resnet50'), transform, IMAGENET_CLASSES);

/** Median time (ms) of `fn` over `runs` runs after `warmup` (the upper middle one for an even count). */
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = (await timeRuns(fn, { warmup, runs })).sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}

interface Row { set: string; batch: number; classify: number[]; predict: number[]; decode: number[]; preprocess: number[] }
const rows: Row[] = [];
for (const [set, images] of [['fixture photos', photos], ['12 MP JPEGs', phone]] as const) {
  for (const batch of [1, 8]) {
    const row: Row = { set, batch, classify: [], predict: [], decode: [], preprocess: [] };
    const inputs = images.slice(0, batch);
    for (let r = 0; r < rounds; r++) {
      // Per image, in ms: the whole call, and its parts measured alone.
      row.classify.push((await time(() => clf.classify(inputs, { batchSize: 8 }))) / batch);
      const decoded = await Promise.all(inputs.map((b) => decodeImage(b)));
      row.decode.push((await time(() => Promise.all(inputs.map((b) => decodeImage(b))))) / batch);
      row.preprocess.push((await time(async () => tf.dispose(decoded.map((d) => preprocess(d, transform))))) / batch);
      const x = tf.zeros([batch, 224, 224, 3]);
      row.predict.push((await time(async () => { const y = clf.model.predict(x) as tf.Tensor; await y.data(); y.dispose(); })) / batch);
      x.dispose();
    }
    rows.push(row);
  }
}

const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const fmt = (v: number[]) => `${med(v).toFixed(1)} [${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}]`;
log('\nset             batch  classify img/s       predict ms/img        decode ms/img       preprocess ms/img   decode+preprocess share');
for (const r of rows) {
  const share = r.classify.map((c, i) => (r.decode[i]! + r.preprocess[i]!) / c);
  log(
    `${r.set.padEnd(15)} ${String(r.batch).padStart(5)}  ${fmt(r.classify.map((c) => 1000 / c)).padEnd(20)} ${fmt(r.predict).padEnd(21)} ${fmt(r.decode).padEnd(19)} ${fmt(r.preprocess).padEnd(19)} ${(med(share) * 100).toFixed(1)}% [${(Math.min(...share) * 100).toFixed(1)}–${(Math.max(...share) * 100).toFixed(1)}%]`,
  );
}
clf.dispose();
