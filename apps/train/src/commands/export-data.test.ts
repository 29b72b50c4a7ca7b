import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSafetensors, readTensorAsFloat32 } from '@resnet/zoo';
import { afterAll, describe, expect, it } from 'vitest';
import { loadData } from '../data/index.js';
import { runCli as cli } from '../testing/cli.js';

const root = mkdtempSync(join(tmpdir(), 'export-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function read(path: string) {
  const f = parseSafetensors(readFileSync(path));
  return {
    metadata: f.metadata,
    names: [...f.entries.keys()],
    images: { dtype: f.entries.get('images')!.dtype, shape: f.entries.get('images')!.shape, data: readTensorAsFloat32(f, 'images') },
    labels: { dtype: f.entries.get('labels')!.dtype, shape: f.entries.get('labels')!.shape, data: readTensorAsFloat32(f, 'labels') },
  };
}

describe('export-data', () => {
  it('writes the mnist split resnet-train trains on, bit for bit, in the documented format', async () => {
    const dir = join(root, 'mnist');
    const r = await cli('export-data', '--data', 'mnist', '--train-size', '40', '--test-size', '16', '--out', dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain(join(dir, 'train.safetensors'));
    const ds = loadData('mnist', { trainSize: 40, testSize: 16 });
    for (const split of ['train', 'test'] as const) {
      const f = read(join(dir, `${split}.safetensors`));
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

  it('exports synthetic data (3 channels, flip-safe flag) and the sizes asked for', async () => {
    const dir = join(root, 'syn');
    expect((await cli('export-data', '--data', 'synthetic:8', '--train-size', '12', '--test-size', '5', '--out', dir)).code).toBe(0);
    const ds = loadData('synthetic:8', { trainSize: 12, testSize: 5 });
    const f = read(join(dir, 'test.safetensors'));
    expect(f.images.shape).toEqual([5, 8, 8, 3]);
    expect(f.images.data).toEqual(ds.test.images);
    expect(f.metadata.flip_safe).toBe(String(ds.flipSafe));
    expect(f.metadata.data).toBe('synthetic:8');
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
