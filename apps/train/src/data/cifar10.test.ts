import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR_BATCH_RECORDS, CIFAR_RECORD_BYTES, CIFAR_TEST_FILE, CIFAR_TRAIN_FILES, loadCifar10, parseCifarBatch } from './cifar10.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A batch file of `labels.length` records; pixel (c, i) of record r is (r + 7c + i) mod 256. */
function batch(labels: number[]): Uint8Array {
  const b = new Uint8Array(labels.length * CIFAR_RECORD_BYTES);
  labels.forEach((l, r) => {
    b[r * CIFAR_RECORD_BYTES] = l;
    for (let c = 0; c < 3; c++) for (let i = 0; i < 1024; i++) b[r * CIFAR_RECORD_BYTES + 1 + c * 1024 + i] = (r + 7 * c + i) % 256;
  });
  return b;
}

function folder(files: Record<string, Uint8Array>): string {
  const d = mkdtempSync(join(tmpdir(), 'cifar-'));
  dirs.push(d);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(d, name), bytes);
  return d;
}

// The files here are a few records long: their record-count warnings are collected, not printed.
const warnings: string[] = [];
const quiet = { warn: (m: string) => warnings.push(m) };

function complete(overrides: Record<string, Uint8Array> = {}): string {
  const files: Record<string, Uint8Array> = {};
  CIFAR_TRAIN_FILES.forEach((f, k) => (files[f] = batch([k, (k + 1) % 10])));
  files[CIFAR_TEST_FILE] = batch([9, 3, 1]);
  return folder({ ...files, ...overrides });
}

describe('CIFAR-10 binary reader', () => {
  it('reads labels and converts planar RGB to normalised NHWC', () => {
    const s = parseCifarBatch(batch([4, 2]), 'x.bin');
    expect(s.count).toBe(2);
    expect(Array.from(s.labels)).toEqual([4, 2]);
    // record 1, pixel index 5 (row 0, col 5), green channel: byte (1 + 7 + 5) = 13
    expect(s.images[3072 + 5 * 3 + 1]).toBeCloseTo((13 / 255 - 0.4822) / 0.2435, 5);
    // record 0, pixel 1023 (row 31, col 31), blue: (0 + 14 + 1023) mod 256 = 13
    expect(s.images[1023 * 3 + 2]).toBeCloseTo((13 / 255 - 0.4465) / 0.2616, 5);
  });

  it('loads a folder: five training batches in order, then the test batch', () => {
    const ds = loadCifar10(complete(), quiet);
    expect(ds.shape).toEqual([32, 32, 3]);
    expect(Array.from(ds.train.labels)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
    expect(Array.from(ds.test.labels)).toEqual([9, 3, 1]);
    expect(ds.train.images.length).toBe(10 * 3072);
  });

  it('honours train and test limits', () => {
    const ds = loadCifar10(complete(), { trainSize: 3, testSize: 1, ...quiet });
    expect(Array.from(ds.train.labels)).toEqual([0, 1, 1]);
    expect(ds.test.count).toBe(1);
  });

  it('names the missing file and lists the expected ones', () => {
    const d = folder({ [CIFAR_TEST_FILE]: batch([1]) });
    expect(() => loadCifar10(d, quiet)).toThrow(/data_batch_1\.bin not found.*data_batch_1\.bin, .*test_batch\.bin/);
  });

  it('rejects a truncated file with its size and the record size', () => {
    const d = complete({ 'data_batch_3.bin': batch([1, 2]).subarray(0, 5000) });
    expect(() => loadCifar10(d, quiet)).toThrow(/data_batch_3\.bin: size 5000 bytes is not a positive multiple of 3073/);
  });

  it('rejects an empty file', () => {
    expect(() => parseCifarBatch(new Uint8Array(0), 'empty.bin')).toThrow(/empty\.bin: size 0 bytes/);
  });

  it('rejects labels outside 0-9 with the record number', () => {
    const d = complete({ [CIFAR_TEST_FILE]: batch([1, 2, 57]) });
    expect(() => loadCifar10(d, quiet)).toThrow(/test_batch\.bin: record 2 has label 57; CIFAR-10 labels are 0-9/);
  });

  it('refuses an all-zero (preallocated) batch file, naming it', () => {
    const d = complete({ 'data_batch_2.bin': new Uint8Array(4 * CIFAR_RECORD_BYTES) });
    expect(() => loadCifar10(d, quiet)).toThrow(/data_batch_2\.bin: all 4 records are zero bytes .*preallocated or partly written/);
  });

  it('refuses a partly written file whose tail records are zero bytes', () => {
    const b = batch([3, 1, 4, 1, 5]);
    b.fill(0, 2 * CIFAR_RECORD_BYTES);
    expect(() => parseCifarBatch(b, 'part.bin', Infinity, quiet.warn)).toThrow(/part\.bin: 3 of 5 records \(the first: record 2\) are zero bytes/);
  });

  it('warns, naming the file, about a batch truncated at a record boundary', () => {
    const got: string[] = [];
    const s = parseCifarBatch(batch([1, 2, 3]), '/data/data_batch_4.bin', Infinity, (m) => got.push(m));
    expect(s.count).toBe(3);
    expect(got).toEqual(['/data/data_batch_4.bin: 3 records; a CIFAR-10 batch file holds 10,000 (truncated or not the original file?)']);
  });

  it('reads a full 10,000-record batch without a warning', () => {
    const got: string[] = [];
    const bytes = new Uint8Array(CIFAR_BATCH_RECORDS * CIFAR_RECORD_BYTES).fill(7);
    for (let r = 0; r < CIFAR_BATCH_RECORDS; r++) bytes[r * CIFAR_RECORD_BYTES] = r % 10;
    const s = parseCifarBatch(bytes, 'full.bin', 2, (m) => got.push(m));
    expect(s.count).toBe(2);
    expect(got).toEqual([]);
  });

  it('loadCifar10 passes every file\'s warning on, with its path', () => {
    warnings.length = 0;
    const d = complete();
    loadCifar10(d, quiet);
    expect(warnings).toHaveLength(6);
    expect(warnings[0]).toBe(`${join(d, 'data_batch_1.bin')}: 2 records; a CIFAR-10 batch file holds 10,000 (truncated or not the original file?)`);
  });

  it('rejects a folder that does not exist', () => {
    expect(() => loadCifar10('/nonexistent/cifar')).toThrow(/folder '\/nonexistent\/cifar' does not exist/);
  });
});
