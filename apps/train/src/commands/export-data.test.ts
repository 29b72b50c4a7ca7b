import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSafetensors, readTensorAsFloat32 } from '@resnet/zoo';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR_RECORD_BYTES, CIFAR_TEST_FILE, CIFAR_TRAIN_FILES } from '../data/cifar10.js';
import { loadData } from '../data/index.js';
import { runCli as cli } from '../testing/cli.js';
import { encodeSplit } from './export-data.js';

const root = mkdtempSync(join(tmpdir(), 'export-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (path: string) => decode(readFileSync(path));

function decode(bytes: Uint8Array) {
  const f = parseSafetensors(bytes);
  return {
    metadata: f.metadata,
    names: [...f.entries.keys()],
    images: { dtype: f.entries.get('images')!.dtype, shape: f.entries.get('images')!.shape, data: readTensorAsFloat32(f, 'images') },
    labels: { dtype: f.entries.get('labels')!.dtype, shape: f.entries.get('labels')!.shape, data: readTensorAsFloat32(f, 'labels') },
  };
}

describe('export-data', () => {
  it('encodes the mnist split resnet-train trains on, bit for bit, in the documented format', () => {
    // In-process (the CLI path is the same and is run below on synthetic and CIFAR data): mnist loads once.
    const ds = loadData('mnist', { trainSize: 40, testSize: 16 });
    for (const split of ['train', 'test'] as const) {
      const f = decode(encodeSplit(ds, split));
      expect(f.metadata).toEqual({ format: 'resnet-train-data', version: '1', data: 'mnist', split, num_classes: '10', flip_safe: 'false' });
      expect(f.names).toEqual(['images', 'labels']);
      expect(f.images.dtype).toBe('F32');
      expect(f.images.shape).toEqual([ds[split].count, 32, 32, 1]);
      expect(f.images.data).toEqual(ds[split].images);
      expect(f.labels.dtype).toBe('I64');
      expect(f.labels.shape).toEqual([ds[split].count]);
      expect(Array.from(f.labels.data)).toEqual(Array.from(ds[split].labels));
      // The 2-pixel zero border of a padded 28×28 digit, normalised with MNIST's mean and std.
      expect(f.images.data[0]).toBe(Math.fround((0 - 0.1307) / 0.3081));
    }
  });

  it('writes synthetic data (3 channels, flip-safe flag) in the sizes asked for', async () => {
    const dir = join(root, 'syn');
    const r = await cli('export-data', '--data', 'synthetic:8', '--train-size', '12', '--test-size', '5', '--out', dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${join(dir, 'train.safetensors')}, ${join(dir, 'test.safetensors')}\n`);
    const ds = loadData('synthetic:8', { trainSize: 12, testSize: 5 });
    const f = read(join(dir, 'test.safetensors'));
    expect(f.images.shape).toEqual([5, 8, 8, 3]);
    expect(f.images.data).toEqual(ds.test.images);
    expect(f.metadata.flip_safe).toBe(String(ds.flipSafe));
    expect(f.metadata.data).toBe('synthetic:8');
  });

  it('exports CIFAR-10 from its binary folder (flip-safe, 3 channels)', async () => {
    const cifar = join(root, 'cifar');
    mkdirSync(cifar);
    // One record per file: label k, pixel bytes (k + i) mod 256.
    const record = (k: number) => Uint8Array.from({ length: CIFAR_RECORD_BYTES }, (_, i) => (i === 0 ? k : (k + i) % 256));
    [...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE].forEach((f, k) => writeFileSync(join(cifar, f), record(k)));
    const dir = join(root, 'cifar-export');
    expect((await cli('export-data', '--data', `cifar10:${cifar}`, '--out', dir)).code).toBe(0);
    const ds = loadData(`cifar10:${cifar}`);
    const f = read(join(dir, 'train.safetensors'));
    expect(f.metadata).toMatchObject({ data: `cifar10:${cifar}`, split: 'train', flip_safe: 'true', num_classes: '10' });
    expect(f.images.shape).toEqual([5, 32, 32, 3]);
    expect(f.images.data).toEqual(ds.train.images);
    expect(Array.from(f.labels.data)).toEqual([0, 1, 2, 3, 4]);
    expect(read(join(dir, 'test.safetensors')).labels.data).toEqual(Float32Array.from([5]));
  });

  it('refuses to overwrite an export and changes nothing', async () => {
    const dir = join(root, 'syn');
    const before = statSync(join(dir, 'train.safetensors')).mtimeMs;
    const r = await cli('export-data', '--data', 'synthetic:8', '--train-size', '3', '--out', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/train\.safetensors and .*test\.safetensors already exist; choose another --out/);
    expect(statSync(join(dir, 'train.safetensors')).mtimeMs).toBe(before);
    expect(read(join(dir, 'train.safetensors')).images.shape[0]).toBe(12);
  });

  it('says what is valid for bad or missing flags', async () => {
    const bad = await cli('export-data', '--data', 'imagenet', '--out', join(root, 'x'));
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--data <spec>' argument 'imagenet' is invalid\. valid: mnist \| cifar10:DIR/);
    const missing = await cli('export-data', '--out', join(root, 'y'));
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/required option '--data <spec>' not specified/);
  });
});
