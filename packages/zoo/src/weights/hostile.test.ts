import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createModel } from '../models/create.js';
import { parseSafetensors } from '../safetensors/read.js';
import { writeSafetensors } from '../safetensors/write.js';
import { makeKerasH5 } from '../testing/h5.js';
import { loadWeights } from './load.js';
import type { FetchLike } from '../net/fetch.js';
import '../keras.js'; // the Keras HDF5 reader is its own entry (@resnet/zoo/keras)

/** model.json bytes whose manifest lists `paths`. */
const modelJson = (paths: string[]) =>
  new TextEncoder().encode(JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths, weights: [{ name: 'conv1/kernel', shape: [1], dtype: 'float32' }] }] }));

describe('hostile tfjs model.json', () => {
  const escapes = ['../../../../etc/hostname', '..%2F..%2Fetc%2Fhostname', '%2e%2e/secret.bin', 'a/../../b.bin', '/etc/hostname', '\\\\server\\share\\w.bin', 'C:\\w.bin', 'file:///etc/hostname'];

  it('refuses shard paths that leave the folder (files): nothing outside is read', async () => {
    const m = createModel('resnet20');
    const dir = mkdtempSync(join(tmpdir(), 'zoo-hostile-'));
    for (const p of escapes) {
      writeFileSync(join(dir, 'model.json'), modelJson([p]));
      await expect(loadWeights(m, dir, { from: 'tfjs' }), p).rejects.toThrow(/weight file path '.*' leaves the model's folder/);
    }
    m.dispose();
  });

  it('refuses shard paths that leave the folder or the origin (URLs), before fetching them', async () => {
    const m = createModel('resnet20');
    const fetched: string[] = [];
    for (const p of [...escapes, 'https://evil.example/w.bin', '//evil.example/w.bin']) {
      const fetch: FetchLike = async (url) => {
        fetched.push(url);
        return { ok: true, status: 200, arrayBuffer: async () => modelJson([p]).slice().buffer };
      };
      await expect(loadWeights(m, 'https://models.example/m/model.json', { from: 'tfjs', fetch }), p).rejects.toThrow(
        /invalid tfjs model.json 'https:\/\/models\.example\/m\/model\.json': weight file path '.*' (leaves the model's folder|resolves to .*, outside https:\/\/models\.example\/m\/)/,
      );
    }
    expect(new Set(fetched)).toEqual(new Set(['https://models.example/m/model.json']));
    m.dispose();
  });

  it('refuses weight entries with bad shapes, dtypes or quantization', async () => {
    const m = createModel('resnet20');
    const bad = [
      [{ name: 'w', shape: [-1], dtype: 'float32' }, /shape \[-1\]/],
      [{ name: 'w', shape: [1e9, 1e9], dtype: 'float32' }, /too large/],
      [{ name: 'w', shape: [1], dtype: 'string' }, /dtype "string"/],
      [{ name: 'w', shape: [1], dtype: 'float32', quantization: { dtype: 'int4' } }, /quantization/],
      [{ shape: [1], dtype: 'float32' }, /without a string name/],
    ] as const;
    for (const [w, msg] of bad) {
      const art = { modelTopology: {}, weightSpecs: [w] as unknown as tf.io.WeightsManifestEntry[], weightData: new ArrayBuffer(8) };
      await expect(loadWeights(m, tf.io.fromMemory(art), { from: 'tfjs' })).rejects.toThrow(msg);
    }
    m.dispose();
  });
});

describe('hostile Keras HDF5', () => {
  it('a few-KB file declaring a 1 GiB dataset is refused before the data is read', async () => {
    const bytes = await makeKerasH5([
      { name: 'conv1_conv', weights: [{ name: 'conv1_conv/kernel:0', data: new Float32Array(16), shape: [16], declare: [1 << 28] }] },
    ]);
    expect(bytes.byteLength).toBeLessThan(16_384);
    const m = createModel('resnet50', { variant: 'v1' });
    const heap = process.memoryUsage().arrayBuffers;
    await expect(loadWeights(m, bytes, { from: 'keras', strict: false })).rejects.toThrow(
      /invalid Keras weights: weight 'conv1_conv\/conv1_conv\/kernel:0' declares shape \[268435456\] of 4-byte elements \(1073741824 bytes\) but the file is \d+ bytes/,
    );
    expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(64 << 20);
    m.dispose();
  });

  it('a layer name that points at a dataset is a clear error', async () => {
    const m = createModel('resnet50', { variant: 'v1' });
    const bytes = await makeKerasH5([{ name: 'g', weights: [{ name: 'k', data: new Float32Array(4), shape: [4] }] }], ['g', 'g/k']);
    await expect(loadWeights(m, bytes, { from: 'keras', strict: false })).rejects.toThrow(/invalid Keras weights: layer 'g\/k' is listed in layer_names but has no group/);
    m.dispose();
  });
});

describe('safetensors offsets must cover the data exactly', () => {
  const good = writeSafetensors({ a: { shape: [2], data: [1, 2] }, b: { shape: [1], data: [3] } });
  const headerLen = Number(new DataView(good.buffer).getBigUint64(0, true));
  /** The file with its header replaced by `header` (padded like the writer) over `data`. */
  const withHeader = (header: object, data: Uint8Array) => {
    let json = new TextEncoder().encode(JSON.stringify(header));
    const pad = new Uint8Array(Math.ceil(json.byteLength / 8) * 8).fill(0x20);
    pad.set(json);
    json = pad;
    const out = new Uint8Array(8 + json.byteLength + data.byteLength);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
    out.set(json, 8);
    out.set(data, 8 + json.byteLength);
    return out;
  };
  const data = good.subarray(8 + headerLen);

  it('accepts an exact cover', () => {
    expect([...parseSafetensors(good).entries.keys()]).toEqual(['a', 'b']);
  });
  it('refuses trailing bytes', () => {
    const trailing = new Uint8Array(good.byteLength + 4);
    trailing.set(good);
    expect(() => parseSafetensors(trailing)).toThrow(/the tensors cover 12 of the 16 data bytes \(4 trailing bytes\)/);
  });
  it('refuses a gap between tensors and a gap at the start', () => {
    const gap = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } };
    expect(() => parseSafetensors(withHeader(gap, data))).toThrow(/tensor 'b' starts at byte 8 but the previous data ends at 4 \(a gap\)/);
    const start = { b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } };
    expect(() => parseSafetensors(withHeader(start, data))).toThrow(/tensor 'b' starts at byte 4 but the previous data ends at 0 \(a gap\)/);
  });
  it('refuses overlapping tensors', () => {
    const overlap = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } };
    expect(() => parseSafetensors(withHeader(overlap, data))).toThrow(/tensor 'b' starts at byte 4 but the previous data ends at 8 \(an overlap\)/);
  });
});

describe('writeSafetensors refuses what it could not read back', () => {
  it.each([
    [[-1], /shape \[-1\]/],
    [[1.5], /shape \[1.5\]/],
    [[Number.NaN], /shape \[null\]/],
    [[2 ** 53], /shape \[9007199254740992\]/],
  ])('shape %j', (shape, msg) => {
    expect(() => writeSafetensors({ t: { shape: shape as number[], data: [] } })).toThrow(msg);
  });
  it('non-string metadata and unknown dtypes', () => {
    expect(() => writeSafetensors({}, { n: 1 as unknown as string })).toThrow(/__metadata__\.n must be a string/);
    expect(() => writeSafetensors({ t: { shape: [1], data: [1], dtype: 'F8' as 'F32' } })).toThrow(/dtype "F8"/);
  });
});
