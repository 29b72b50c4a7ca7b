/**
 * Every loader refuses NaN / ±Inf values by default, naming each tensor and
 * its count, and loads nothing; `allowNonFinite: true` opts out. BatchNorm
 * running variances below zero are refused either way.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../models/registry.js';
import { buildResNet } from '../models/resnet.js';
import { parseSafetensors, readTensorAsFloat32 } from '../safetensors/read.js';
import { writeSafetensors, type SafetensorsTensor } from '../safetensors/write.js';
import { makeKerasH5 } from '../testing/h5.js';
import { kerasTargets } from './keras.js';
import { loadWeights } from './load.js';
import { exportWeights } from './state-dict.js';
import '../keras.js'; // the Keras HDF5 reader is its own entry (@resnet/zoo/keras)

const tiny = () => buildModel('resnet8', { widths: [4, 4, 8] });
const snapshot = (m: LayersModel) => m.getWeights().map((w) => [...w.dataSync()]);

/** The model's state dict with some values replaced: `{ key: [[index, value], …] }`. */
function poisoned(m: LayersModel, edits: Record<string, Array<[number, number]>>): Uint8Array {
  const file = parseSafetensors(exportWeights(m, { to: 'torchvision' }));
  const out = new Map<string, SafetensorsTensor>();
  for (const [key, e] of file.entries) {
    const data = e.dtype === 'I64' ? [0] : Array.from(readTensorAsFloat32(file, key));
    for (const [i, v] of edits[key] ?? []) data[i] = v;
    out.set(key, { shape: e.shape, data, dtype: e.dtype });
  }
  return writeSafetensors(out, { format: 'pt' });
}

describe('non-finite weights are refused by every loader', () => {
  it('safetensors (torchvision / timm): names each tensor and its count, loads nothing; allowNonFinite opts out', async () => {
    const src = tiny();
    const bytes = poisoned(src, { 'fc.weight': [[0, NaN], [3, NaN]], 'bn1.running_var': [[1, Infinity]], 'conv1.weight': [[2, -Infinity]] });
    for (const from of ['torchvision', 'timm'] as const) {
      const m = tiny();
      const before = snapshot(m);
      const err = await loadWeights(m, bytes, { from }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/^invalid weights: non-finite values in 3 of \d+ tensors: /);
      expect((err as Error).message).toContain("'conv1.weight' (1 ±Inf)");
      expect((err as Error).message).toContain("'bn1.running_var' (1 ±Inf)");
      expect((err as Error).message).toContain("'fc.weight' (2 NaN)");
      expect((err as Error).message).toContain('pass allowNonFinite: true');
      expect(snapshot(m)).toEqual(before); // nothing written
      const report = await loadWeights(m, bytes, { from, allowNonFinite: true });
      expect(report.ok).toBe(true);
      expect(Number.isNaN(m.getLayer('fc').getWeights()[0]!.dataSync()[0])).toBe(true);
      m.dispose();
    }
    src.dispose();
  });

  it('a BatchNorm running variance below zero is refused, with or without allowNonFinite', async () => {
    const src = tiny();
    const bytes = poisoned(src, { 'layer1.0.bn2.running_var': [[0, -0.5], [2, -1e-3]] });
    const m = tiny();
    for (const allowNonFinite of [false, true]) {
      await expect(loadWeights(m, bytes, { from: 'torchvision', allowNonFinite })).rejects.toThrow(
        "invalid weights: BatchNorm running variances below zero in 1 tensors: 'layer1.0.bn2.running_var' (2 of 4); nothing was loaded",
      );
    }
    m.dispose();
    src.dispose();
  });

  it('tfjs model.json: the same check', async () => {
    const src = tiny();
    let art: tf.io.ModelArtifacts | undefined;
    await src.save(tf.io.withSaveHandler(async (a) => {
      art = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const specs = art!.weightSpecs!;
    const data = new Float32Array((art!.weightData as ArrayBuffer).slice(0));
    const fcKernel = specs.findIndex((s) => s.name === 'fc/kernel');
    const offset = specs.slice(0, fcKernel).reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
    data[offset] = NaN;
    const m = tiny();
    await expect(loadWeights(m, tf.io.fromMemory({ ...art!, weightData: data.buffer }), { from: 'tfjs' })).rejects.toThrow(
      /invalid weights: non-finite values in 1 of \d+ tensors: 'fc\/kernel' \(1 NaN\); nothing was loaded/,
    );
    m.dispose();
    src.dispose();
  });

  it('Keras HDF5: the same check', async () => {
    const m = buildResNet({ block: 'bottleneck', layers: [1, 1, 1, 1], widths: [4, 4, 8, 8], stemWidth: 4 }, { variant: 'v1', numClasses: 3, inputShape: [32, 32, 3] });
    const layers = new Map<string, Array<{ name: string; data: Float32Array; shape: number[] }>>();
    for (const t of kerasTargets(m)) {
      const [layer, weight] = t.key.split('/') as [string, string];
      const data = Float32Array.from(t.variable.read().dataSync() as Float32Array);
      if (t.key === 'predictions/bias') data[1] = Infinity;
      if (!layers.has(layer)) layers.set(layer, []);
      layers.get(layer)!.push({ name: `${layer}/${weight}:0`, data, shape: t.sourceShape });
    }
    const bytes = await makeKerasH5([...layers].map(([name, weights]) => ({ name, weights })));
    await expect(loadWeights(m, bytes, { from: 'keras' })).rejects.toThrow(/invalid weights: non-finite values in 1 of \d+ tensors: 'predictions\/bias' \(1 ±Inf\)/);
    expect((await loadWeights(m, bytes, { from: 'keras', allowNonFinite: true })).ok).toBe(true);
    m.dispose();
  });
});
