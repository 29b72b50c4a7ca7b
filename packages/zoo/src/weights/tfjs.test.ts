import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { createModel } from '../models/create.js';
import { loadWeights } from './load.js';
import type { FetchLike } from '../net/fetch.js';

/** Saves `m` as model.json + one shard into a fresh folder (what tfjs-node's file:// saver writes). */
async function saveToDir(m: LayersModel): Promise<{ dir: string; json: object; shard: Uint8Array }> {
  let art: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (a) => {
    art = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const dir = mkdtempSync(join(tmpdir(), 'zoo-tfjs-'));
  const shard = new Uint8Array(art!.weightData as ArrayBuffer);
  const json = { modelTopology: art!.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: art!.weightSpecs }] };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'group1-shard1of1.bin'), shard);
  return { dir, json, shard };
}

const weightsOf = (m: LayersModel) => m.weights.map((w) => w.read().dataSync() as Float32Array);
const sameWeights = (a: LayersModel, b: LayersModel) => {
  const [x, y] = [weightsOf(a), weightsOf(b)];
  return x.length === y.length && x.every((t, i) => t.length === y[i]!.length && t.every((v, j) => v === y[i]![j]));
};

describe("loadWeights(from: 'tfjs')", () => {
  it('loads model.json + shards from a folder, a model.json path, an IOHandler and a URL', async () => {
    const a = createModel('resnet20');
    const { dir, json, shard } = await saveToDir(a);
    const fakeFetch: FetchLike = async (url) => {
      const body = url.endsWith('model.json') ? new TextEncoder().encode(JSON.stringify(json)) : shard;
      expect(url).toMatch(/^https:\/\/example\.invalid\/m\/(model\.json|group1-shard1of1\.bin)$/);
      return { ok: true, status: 200, arrayBuffer: async () => body.slice().buffer };
    };
    const sources = [
      dir,
      join(dir, 'model.json'),
      tf.io.fromMemory({ modelTopology: {}, weightSpecs: (json as { weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> }).weightsManifest[0]!.weights, weightData: shard.slice().buffer }),
      'https://example.invalid/m/model.json',
    ];
    for (const src of sources) {
      const b = createModel('resnet20');
      expect(sameWeights(a, b)).toBe(false);
      const r = await loadWeights(b, src, { from: 'tfjs', fetch: fakeFetch });
      expect(r).toMatchObject({ ok: true, missing: [], unexpected: [] });
      expect(sameWeights(a, b)).toBe(true);
      b.dispose();
    }
    a.dispose();
  });

  it('a missing shard or truncated shard is a clear error', async () => {
    const a = createModel('resnet20');
    const { dir, shard } = await saveToDir(a);
    writeFileSync(join(dir, 'group1-shard1of1.bin'), shard.subarray(0, 1000));
    await expect(loadWeights(a, dir, { from: 'tfjs' })).rejects.toThrow(/shards hold 1000/);
    await expect(loadWeights(a, join(dir, 'nothing'), { from: 'tfjs' })).rejects.toThrow(/cannot read tfjs model/);
    await expect(loadWeights(a, new Uint8Array(4), { from: 'tfjs' })).rejects.toThrow(/model.json path or folder, a URL, or a tf.io.IOHandler/);
    a.dispose();
  });

  it('an unreachable URL says the network may be down', async () => {
    const a = createModel('resnet20');
    const offline: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND example.invalid') });
    };
    await expect(loadWeights(a, 'https://example.invalid/w.safetensors', { from: 'torchvision', fetch: offline })).rejects.toThrow(
      /cannot download 'https:\/\/example\.invalid\/w\.safetensors' \(getaddrinfo ENOTFOUND example\.invalid\); is the network reachable\?/,
    );
    a.dispose();
  });
});
