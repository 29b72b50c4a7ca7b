/**
 * Reader for the CIFAR-10 binary version (cifar-10-binary.tar.gz, extracted):
 * `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`, each a run of
 * records of 1 label byte + 3072 pixel bytes (1024 red, 1024 green, 1024 blue,
 * row-major 32×32). CIFAR-10 ships in no npm package, so the user points at a
 * folder; every file is checked before use and errors name the file and record.
 * Two damaged files that parse as records are caught too: records of all zero
 * bytes (a preallocated or partly written file reads as black airplanes) are
 * refused, and a file of other than 10,000 records (truncated at a record
 * boundary) is warned about.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, type LoadLimits, type Split } from './dataset.js';

/** Bytes per record: one label + 32×32×3 pixels. */
export const CIFAR_RECORD_BYTES = 3073;
/** Records in each file of the CIFAR-10 binary version. */
export const CIFAR_BATCH_RECORDS = 10000;
/** Training files, in order. */
export const CIFAR_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
/** Test file. */
export const CIFAR_TEST_FILE = 'test_batch.bin';
// Per-channel statistics of the CIFAR-10 training set (the values used by most PyTorch recipes).
const MEAN = [0.4914, 0.4822, 0.4465];
const STD = [0.247, 0.2435, 0.2616];

function isZeroRecord(bytes: Uint8Array, at: number): boolean {
  for (let i = at; i < at + CIFAR_RECORD_BYTES; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Parses one binary batch file into NHWC normalised images; throws on any
 * malformed content, and tells `warn` about a record count other than 10,000.
 */
export function parseCifarBatch(bytes: Uint8Array, file: string, limit = Infinity, warn: (message: string) => void = () => {}): Split {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new Error(
      `${file}: size ${bytes.length} bytes is not a positive multiple of ${CIFAR_RECORD_BYTES} ` +
        `(1 label byte + 3072 pixel bytes per image; a full CIFAR-10 batch is 30,730,000 bytes)`,
    );
  }
  const total = bytes.length / CIFAR_RECORD_BYTES;
  let zeros = 0;
  let firstZero = -1;
  for (let r = 0; r < total; r++) {
    if (isZeroRecord(bytes, r * CIFAR_RECORD_BYTES)) {
      if (zeros++ === 0) firstZero = r;
    }
  }
  if (zeros > 0) {
    throw new Error(
      `${file}: ${zeros === total ? `all ${total} records are` : `${zeros} of ${total} records (the first: record ${firstZero}) are`} zero bytes ` +
        `(label 0, an entirely black image), the mark of a preallocated or partly written file; extract cifar-10-binary.tar.gz again`,
    );
  }
  if (total !== CIFAR_BATCH_RECORDS) {
    warn(`${file}: ${total} records; a CIFAR-10 batch file holds ${CIFAR_BATCH_RECORDS.toLocaleString('en-US')} (truncated or not the original file?)`);
  }
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

/** Loads `cifar10:DIR`: all five training batches and the test batch, validated (warnings go to `limits.warn`, default stderr). */
export function loadCifar10(dir: string, limits: LoadLimits = {}): Dataset {
  const warn = limits.warn ?? ((m: string) => process.stderr.write(`WARNING: cifar10: ${m}\n`));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`cifar10: folder '${dir}' does not exist; pass --data cifar10:DIR with the extracted cifar-10-batches-bin folder`);
  }
  const parts: Split[] = [];
  let remaining = limits.trainSize ?? Infinity;
  for (const f of CIFAR_TRAIN_FILES) {
    // Every file is validated even when the limit is already reached, so a broken file never hides.
    const split = parseCifarBatch(readFile(dir, f), join(dir, f), Math.max(0, remaining), warn);
    remaining -= split.count;
    if (split.count > 0) parts.push(split);
  }
  const test = parseCifarBatch(readFile(dir, CIFAR_TEST_FILE), join(dir, CIFAR_TEST_FILE), limits.testSize ?? Infinity, warn);
  return { name: `cifar10:${dir}`, shape: [32, 32, 3], numClasses: 10, train: concat(parts), test, flipSafe: true };
}
