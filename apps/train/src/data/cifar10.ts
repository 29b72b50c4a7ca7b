/**
 * Reader for the CIFAR-10 binary version (cifar-10-binary.tar.gz, extracted):
 * `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`, each a run of
 * records of 1 label byte + 3072 pixel bytes (1024 red, 1024 green, 1024 blue,
 * row-major 32×32). CIFAR-10 ships in no npm package, so the user points at a
 * folder; every file is checked before use and errors name the file and record.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, type LoadLimits, type Split } from './dataset.js';

/** Bytes per record: one label + 32×32×3 pixels. */
export const CIFAR_RECORD_BYTES = 3073;
/** Training files, in order. */
export const CIFAR_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
/** Test file. */
export const CIFAR_TEST_FILE = 'test_batch.bin';
// Per-channel statistics of the CIFAR-10 training set (the values used by most PyTorch recipes).
const MEAN = [0.4914, 0.4822, 0.4465];
const STD = [0.247, 0.2435, 0.2616];

/** Parses one binary batch file into NHWC normalised images; throws on any malformed content. */
export function parseCifarBatch(bytes: Uint8Array, file: string, limit = Infinity): Split {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new Error(
      `${file}: size ${bytes.length} bytes is not a positive multiple of ${CIFAR_RECORD_BYTES} ` +
        `(1 label byte + 3072 pixel bytes per image; a full CIFAR-10 batch is 30,730,000 bytes)`,
    );
  }
  const total = bytes.length / CIFAR_RECORD_BYTES;
  const count = Math.min(total, limit);
  const images = new Float32Array(count * 3072);
  const labels = new Uint8Array(count);
  for (let r = 0; r < total; r++) {
    const label = bytes[r * CIFAR_RECORD_BYTES]!;
    if (label > 9) {
      throw new Error(`${file}: record ${r} has label ${label}; CIFAR-10 labels are 0-9 (is this the CIFAR-100 file?)`);
    }
    if (r >= count) continue;
    labels[r] = label;
    const px = r * CIFAR_RECORD_BYTES + 1;
    const out = r * 3072;
    for (let i = 0; i < 1024; i++) {
      for (let c = 0; c < 3; c++) images[out + i * 3 + c] = (bytes[px + c * 1024 + i]! / 255 - MEAN[c]!) / STD[c]!;
    }
  }
  return { images, labels, count };
}

function concat(parts: Split[]): Split {
  const count = parts.reduce((s, p) => s + p.count, 0);
  const images = new Float32Array(count * 3072);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * 3072);
    labels.set(p.labels, at);
    at += p.count;
  }
  return { images, labels, count };
}

function readFile(dir: string, name: string): Uint8Array {
  const path = join(dir, name);
  if (!existsSync(path)) {
    throw new Error(
      `cifar10: ${path} not found; the folder must hold the CIFAR-10 binary version: ` +
        `${[...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE].join(', ')} (from cifar-10-binary.tar.gz)`,
    );
  }
  if (!statSync(path).isFile()) throw new Error(`cifar10: ${path} is not a file`);
  return readFileSync(path);
}

/** Loads `cifar10:DIR`: all five training batches and the test batch, validated. */
export function loadCifar10(dir: string, limits: LoadLimits = {}): Dataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`cifar10: folder '${dir}' does not exist; pass --data cifar10:DIR with the extracted cifar-10-batches-bin folder`);
  }
  const parts: Split[] = [];
  let remaining = limits.trainSize ?? Infinity;
  for (const f of CIFAR_TRAIN_FILES) {
    // Every file is validated even when the limit is already reached, so a broken file never hides.
    const split = parseCifarBatch(readFile(dir, f), f, Math.max(0, remaining));
    remaining -= split.count;
    if (split.count > 0) parts.push(split);
  }
  const test = parseCifarBatch(readFile(dir, CIFAR_TEST_FILE), CIFAR_TEST_FILE, limits.testSize ?? Infinity);
  return { name: `cifar10:${dir}`, shape: [32, 32, 3], numClasses: 10, train: concat(parts), test, flipSafe: true };
}
