import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../models/create.js';
import { applyByteMutations, applyJsonMutations, byteMutations, FUZZ_OPTIONS, FUZZ_RUNS, jsonMutations, Outcomes } from '../testing/fuzz.js';
import { loadWeights } from './load.js';
import type { FetchLike } from '../net/fetch.js';

const model = createModel('resnet20', { widths: [2, 2, 2] });
const JSON_URL = 'https://models.example/m/model.json';
const CLEAR = [/^Error: invalid tfjs (model\.json|weights)/, /^WeightLoadError: /, /^Error: invalid weights: (non-finite values|BatchNorm running variances below zero) in \d+ /, /^Error: cannot download 'https:\/\/models\.example\/m\/[^']*': HTTP 404/];
let json: { weightsManifest: unknown[] };
let shard: Uint8Array;

beforeAll(async () => {
  await model.save(tf.io.withSaveHandler(async (a) => {
    json = { weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }] };
    shard = new Uint8Array(a.weightData as ArrayBuffer);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
});
afterAll(() => model.dispose());

/** Loads `jsonBytes` + `shardBytes` over a fake origin; every URL asked for must stay in the model's folder. */
async function attempt(jsonBytes: Uint8Array, shardBytes: Uint8Array, out: Outcomes): Promise<void> {
  const asked: string[] = [];
  const fetch: FetchLike = async (url) => {
    asked.push(url);
    const body = url === JSON_URL ? jsonBytes : url === 'https://models.example/m/group1-shard1of1.bin' ? shardBytes : null;
    return body
      ? { ok: true, status: 200, arrayBuffer: async () => body.slice().buffer }
      : { ok: false, status: 404, statusText: 'Not Found', arrayBuffer: async () => new ArrayBuffer(0) };
  };
  try {
    await loadWeights(model, JSON_URL, { from: 'tfjs', fetch, strict: false });
    out.record(null, CLEAR);
  } catch (e) {
    out.record(e, CLEAR);
  }
  const outside = asked.filter((u) => !u.startsWith('https://models.example/m/'));
  if (outside.length) throw new Error(`fetched outside the model's folder: ${outside.join(', ')}`);
}

describe(`tfjs model.json reader under fuzzing (${FUZZ_RUNS} inputs per property)`, () => {
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v) ?? 'null');

  it('mutated manifests: only its own clear errors, nothing fetched outside the folder, no leaked tensors', async () => {
    const tensors = tf.memory().numTensors;
    const out = new Outcomes();
    await fc.assert(fc.asyncProperty(jsonMutations(), async (m) => attempt(enc(applyJsonMutations(json, m)), shard, out)), FUZZ_OPTIONS);
    console.log(out.summary('tfjs manifest (json)'));
    expect(out.total).toBe(FUZZ_RUNS);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('mutated model.json bytes and shards: only its own clear errors', async () => {
    const tensors = tf.memory().numTensors;
    const out = new Outcomes();
    const base = enc(json);
    const prop = fc.asyncProperty(byteMutations(512), fc.boolean(), async (m, onShard) =>
      attempt(onShard ? base : applyByteMutations(base, m), onShard ? applyByteMutations(shard, m) : shard, out),
    );
    await fc.assert(prop, FUZZ_OPTIONS);
    console.log(out.summary('tfjs manifest (bytes)'));
    expect(out.total).toBe(FUZZ_RUNS);
    expect(out.rssGrowthMiB).toBeLessThan(256);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
