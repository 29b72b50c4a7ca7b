import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { createModel } from '../models/create.js';
import { parseSafetensors, readTensorAsFloat32 } from '../safetensors/read.js';
import { writeSafetensors, type SafetensorsTensor } from '../safetensors/write.js';
import { loadWeights } from './load.js';
import { WeightLoadError } from './report.js';
import { exportWeights } from './state-dict.js';

function snapshot(m: LayersModel): Float32Array[] {
  return m.weights.map((w) => w.read().dataSync().slice() as Float32Array);
}

function same(a: Float32Array[], b: Float32Array[]): boolean {
  return a.length === b.length && a.every((x, i) => x.length === b[i]!.length && x.every((v, j) => Object.is(v, b[i]![j])));
}

/** The exported state dict of `m` as a Map we can edit. */
function stateOf(m: LayersModel): Map<string, SafetensorsTensor> {
  const f = parseSafetensors(exportWeights(m, { to: 'torchvision' }));
  return new Map(
    [...f.entries.values()].map((e) => [e.name, { shape: e.shape, data: readTensorAsFloat32(f, e.name), dtype: e.dtype }]),
  );
}

describe('exportWeights → loadWeights', () => {
  it('round trip is exact and the file has PyTorch names, layouts and counters', async () => {
    const a = createModel('resnet20');
    const b = createModel('resnet20');
    expect(same(snapshot(a), snapshot(b))).toBe(false);
    const bytes = exportWeights(a, { to: 'torchvision' });
    const f = parseSafetensors(bytes);
    expect(f.entries.get('conv1.weight')!.shape).toEqual([16, 3, 3, 3]); // OIHW
    expect(f.entries.get('fc.weight')!.shape).toEqual([10, 64]); // [out, in]
    expect(f.entries.get('layer3.2.bn2.running_var')!.shape).toEqual([64]);
    expect(f.entries.get('bn1.num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [] });
    // 20 convs/fc weights + fc bias + 19 BN x (4 + counter)
    expect(f.entries.size).toBe(20 + 1 + 19 * 5);
    const before = tf.memory().numTensors;
    const report = await loadWeights(b, bytes, { from: 'torchvision' });
    expect(tf.memory().numTensors).toBe(before);
    expect(report).toMatchObject({ ok: true, missing: [], unexpected: [], mismatched: [], skipped: [] });
    expect(report.ignored.length).toBe(19);
    expect(same(snapshot(a), snapshot(b))).toBe(true);
    // timm's names for ResNets are torchvision's
    expect((await loadWeights(b, bytes, { from: 'timm' })).ok).toBe(true);
    a.dispose();
    b.dispose();
  });

  it('F32 tensors are read in place, yet the model shares no memory with the caller\'s bytes', async () => {
    const a = createModel('resnet20');
    const b = createModel('resnet20');
    const bytes = exportWeights(a, { to: 'torchvision' });
    expect(bytes.byteOffset % 4).toBe(0); // so the F32 data is aligned: the view path, not the decode path
    expect((await loadWeights(b, bytes, { from: 'torchvision' })).ok).toBe(true);
    const loaded = snapshot(b);
    expect(same(loaded, snapshot(a))).toBe(true);
    bytes.fill(0xff); // every float becomes NaN: a weight still over these bytes would change
    expect(same(snapshot(b), loaded)).toBe(true);
    a.dispose();
    b.dispose();
  });

  it('F16 export stores halves that load back within half precision', async () => {
    const a = createModel('resnet20');
    const bytes = exportWeights(a, { to: 'torchvision', dtype: 'F16' });
    expect(parseSafetensors(bytes).entries.get('layer1.0.conv1.weight')!.dtype).toBe('F16');
    const b = createModel('resnet20');
    await loadWeights(b, bytes, { from: 'torchvision' });
    const [wa, wb] = [snapshot(a), snapshot(b)];
    // half precision: relative rounding error ≤ 2^-11, absolute ≤ 2^-25 in the subnormal range
    let bad = 0;
    wa.forEach((x, i) => x.forEach((v, j) => {
      if (Math.abs(v - wb[i]![j]!) > Math.abs(v) * 2 ** -11 + 2 ** -25) bad++;
    }));
    expect(bad).toBe(0);
    expect(same(wa, wb)).toBe(false);
    a.dispose();
    b.dispose();
  });

  it('reads paths, file URLs, ArrayBuffers and Uint8Arrays', async () => {
    const a = createModel('resnet20');
    const bytes = exportWeights(a, { to: 'torchvision' });
    const dir = mkdtempSync(join(tmpdir(), 'zoo-'));
    const path = join(dir, 'w.safetensors');
    writeFileSync(path, bytes);
    for (const src of [path, pathToFileURL(path), pathToFileURL(path).href, bytes.slice().buffer, bytes]) {
      const b = createModel('resnet20');
      expect((await loadWeights(b, src, { from: 'torchvision' })).ok).toBe(true);
      expect(same(snapshot(a), snapshot(b))).toBe(true);
      b.dispose();
    }
    await expect(loadWeights(a, join(dir, 'nope.safetensors'), { from: 'torchvision' })).rejects.toThrow(/cannot read weights file .*nope\.safetensors/);
    a.dispose();
  });
});

describe('strict loading', () => {
  it('reports every missing, unexpected and mismatched key at once and changes nothing', async () => {
    const src = createModel('resnet20');
    const state = stateOf(src);
    state.delete('layer2.1.bn1.running_mean');
    state.delete('fc.bias');
    state.set('layer9.0.conv1.weight', { shape: [1], data: [1] });
    state.set('conv1.weight', { shape: [16, 3, 5, 5], data: new Float32Array(16 * 3 * 25) });
    const bytes = writeSafetensors(state);
    const m = createModel('resnet20');
    const before = snapshot(m);
    const err = await loadWeights(m, bytes, { from: 'torchvision' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeightLoadError);
    const r = (err as WeightLoadError).report;
    expect(r.missing.sort()).toEqual(['fc.bias', 'layer2.1.bn1.running_mean']);
    expect(r.unexpected).toEqual(['layer9.0.conv1.weight']);
    expect(r.mismatched).toEqual([{ key: 'conv1.weight', expected: [16, 3, 3, 3], got: [16, 3, 5, 5] }]);
    expect((err as Error).message).toMatch(/left unchanged[\s\S]*missing 2[\s\S]*unexpected 1[\s\S]*shape mismatch in 1/);
    expect(same(before, snapshot(m))).toBe(true);

    // strict: false loads the rest and returns the same report
    const r2 = await loadWeights(m, bytes, { from: 'torchvision', strict: false });
    expect(r2.ok).toBe(false);
    expect(r2.missing.length + r2.unexpected.length + r2.mismatched.length).toBe(4);
    const loadedBn = m.getLayer('layer3.0.bn1').getWeights()[0]!.dataSync();
    expect([...loadedBn]).toEqual([...src.getLayer('layer3.0.bn1').getWeights()[0]!.dataSync()]);
    expect(same(before.slice(0, 1), snapshot(m).slice(0, 1))).toBe(true); // conv1 (mismatched) untouched
    src.dispose();
    m.dispose();
  });

  it('skips a classifier with another class count, and a classifier the model lacks (timm behaviour)', async () => {
    const src = createModel('resnet20');
    const bytes = exportWeights(src, { to: 'torchvision' });
    const m100 = createModel('resnet20', { numClasses: 100 });
    const fcBefore = m100.getLayer('fc').getWeights()[0]!.dataSync().slice();
    const r = await loadWeights(m100, bytes, { from: 'torchvision' });
    expect(r.ok).toBe(true);
    expect(r.skipped.sort()).toEqual(['fc.bias', 'fc.weight']);
    expect(r.notes.join()).toMatch(/classifier not loaded .*another number of classes/);
    expect([...m100.getLayer('fc').getWeights()[0]!.dataSync()]).toEqual([...fcBefore]);
    expect([...m100.getLayer('conv1').getWeights()[0]!.dataSync()]).toEqual([...src.getLayer('conv1').getWeights()[0]!.dataSync()]);

    const backbone = createModel('resnet20', { includeTop: false, pooling: 'avg' });
    const r2 = await loadWeights(backbone, bytes, { from: 'torchvision' });
    expect(r2).toMatchObject({ ok: true, skipped: ['fc.weight', 'fc.bias'] });
    expect(r2.notes.join()).toMatch(/no classifier/);
    for (const m of [src, m100, backbone]) m.dispose();
  });

  it('a truncated or corrupt file is a clear error and leaves the model untouched', async () => {
    const m = createModel('resnet20');
    const before = snapshot(m);
    const bytes = exportWeights(createModel('resnet20'), { to: 'torchvision' });
    await expect(loadWeights(m, bytes.subarray(0, bytes.length - 100), { from: 'torchvision' })).rejects.toThrow(/truncated/);
    await expect(loadWeights(m, bytes.subarray(0, 50), { from: 'torchvision' })).rejects.toThrow(/runs past the end/);
    await expect(loadWeights(m, bytes, { from: 'pytorch' as never })).rejects.toThrow(/'from' must be one of torchvision, timm, keras, tfjs/);
    expect(same(before, snapshot(m))).toBe(true);
    m.dispose();
  });

  it('normalises DataParallel prefixes, timm heads and old DenseNet keys', async () => {
    const { normalizeTorchKey } = await import('./state-dict.js');
    expect(normalizeTorchKey('module.layer1.0.conv1.weight', 'torchvision')).toBe('layer1.0.conv1.weight');
    expect(normalizeTorchKey('features.denseblock1.denselayer1.norm.1.weight', 'torchvision')).toBe('features.denseblock1.denselayer1.norm1.weight');
    expect(normalizeTorchKey('features.denseblock4.denselayer16.conv.2.weight', 'torchvision')).toBe('features.denseblock4.denselayer16.conv2.weight');
    expect(normalizeTorchKey('head.fc.weight', 'timm')).toBe('fc.weight');
    expect(normalizeTorchKey('head.fc.weight', 'torchvision')).toBe('head.fc.weight');
  });
});

// On the wasm backend a tensor's values are copied into its heap when it is made, so every
// conversion goes through one scratch array (no model-sized garbage for the JS collector).
describe('loadWeights on the wasm backend (one scratch array for every conversion)', () => {
  it('loads exactly, shares nothing with the bytes, and a refused file leaves no tensor behind', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    const previous = tf.getBackend();
    await tf.setBackend('wasm');
    try {
      const a = createModel('resnet20');
      const b = createModel('resnet20');
      const bytes = exportWeights(a, { to: 'torchvision' });
      const before = tf.memory().numTensors;
      expect((await loadWeights(b, bytes, { from: 'torchvision' })).ok).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      const loaded = snapshot(b);
      expect(same(loaded, snapshot(a))).toBe(true); // conv kernels transposed through the scratch, each exact
      bytes.fill(0xff);
      expect(same(snapshot(b), loaded)).toBe(true);
      // A tensor refused after others were made (the file's keys are sorted: bn1.*, conv1.* come first): those are freed, the model is untouched.
      const state = stateOf(a);
      state.get('fc.bias')!.data = new Float32Array(10).fill(NaN);
      await expect(loadWeights(b, writeSafetensors(Object.fromEntries(state)), { from: 'torchvision' })).rejects.toThrow(/'fc.bias' \(10 NaN\)/);
      expect(tf.memory().numTensors).toBe(before);
      expect(same(snapshot(b), loaded)).toBe(true);
      a.dispose();
      b.dispose();
    } finally {
      await tf.setBackend(previous);
    }
  });
});
