import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR_RECORD_BYTES, CIFAR_TEST_FILE, CIFAR_TRAIN_FILES, loadCifar10, parseCifarBatch } from './cifar10.js';

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
    const ds = loadCifar10(complete());
    expect(ds.shape).toEqual([32, 32, 3]);
    expect(Array.from(ds.train.labels)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
    expect(Array.from(ds.test.labels)).toEqual([9, 3, 1]);
    expect(ds.train.images.length).toBe(10 * 3072);
  });

  it('honours train and test limits', () => {
    const ds = loadCifar10(complete(), { trainSize: 3, testSize: 1 });
    expect(Array.from(ds.train.labels)).toEqual([0, 1, 1]);
    expect(ds.test.count).toBe(1);
  });

  it('names the missing file and lists the expected ones', () => {
    const d = folder({ [CIFAR_TEST_FILE]: batch([1]) });
    expect(() => loadCifar10(d)).toThrow(/data_batch_1\.bin not found.*data_batch_1\.bin, .*test_batch\.bin/);
  });

  it('rejects a truncated file with its size and the record size', () => {
    const d = complete({ 'data_batch_3.bin': batch([1, 2]).subarray(0, 5000) });
    expect(() => loadCifar10(d)).toThrow(/data_batch_3\.bin: size 5000 bytes is not a positive multiple of 3073/);
  });

  it('rejects an empty file', () => {
    expect(() => parseCifarBatch(new Uint8Array(0), 'empty.bin')).toThrow(/empty\.bin: size 0 bytes/);
  });

  it('rejects labels outside 0-9 with the record number', () => {
    const d = complete({ [CIFAR_TEST_FILE]: batch([1, 2, 57]) });
    expect(() => loadCifar10(d)).toThrow(/test_batch\.bin: record 2 has label 57; CIFAR-10 labels are 0-9/);
  });

  it('rejects a folder that does not exist', () => {
    expect(() => loadCifar10('/nonexistent/cifar')).toThrow(/folder '\/nonexistent\/cifar' does not exist/);
  });
});
