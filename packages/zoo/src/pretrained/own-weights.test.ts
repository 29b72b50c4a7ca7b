/**
 * Your own weights through the front door: `createModel(tag, { weights })`,
 * `loadClassifier(tag, { weights })` and `registerPretrained` with a path or
 * `file:` URL, checked at registration; the messages that point there.
 */
import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../classify/classifier.js';
import { createModel } from '../models/create.js';
import { registerPretrained } from '../models/pretrained.js';
import { buildModel } from '../models/registry.js';
import type { FetchLike } from '../net/fetch.js';
import { makeKerasH5 } from '../testing/h5.js';
import { exportWeights } from '../weights/state-dict.js';
import { downloadPretrained } from './download.js';
import { getPretrained, type PretrainedEntry } from './table.js';

const LABELS = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu'];
const src = buildModel('resnet8', { widths: [4, 4, 8], numClasses: 7 });
const bytes = exportWeights(src, { to: 'torchvision' });
const dir = mkdtempSync(join(tmpdir(), 'zoo-own-'));
const file = join(dir, 'mine.safetensors');
writeFileSync(file, bytes);
const fc = (m: LayersModel) => [...m.getLayer('fc').getWeights()[0]!.dataSync()];
const noNetwork: FetchLike = async (url) => {
  throw new Error(`no request expected, got ${url}`);
};
const entry: PretrainedEntry = {
  ...getPretrained('resnet18.tv_in1k'),
  model: 'resnet8',
  source: { url: 'https://example.invalid/zoo/resnet8-published.safetensors', format: 'torchvision' },
  numClasses: 7,
  labels: LABELS,
  inputSize: 32,
  resizeSize: 32,
};
registerPretrained('resnet8.published', entry);
// Model options of the tag (widths are not a tag option): the tests pass them like a user of a custom-width model.
const opts = { widths: [4, 4, 8] as [number, number, number], download: { fetch: noNetwork, offline: true } };

describe('createModel(tag, { weights }) takes your own copy of the file', () => {
  it('a path, a file: URL (string or URL), bytes, an ArrayBuffer or a Response; the tag gives numClasses; no request', async () => {
    const inputs = [file, pathToFileURL(file).href, pathToFileURL(file), bytes, bytes.slice().buffer, new Response(bytes.slice())];
    for (const weights of inputs) {
      const m = await createModel('resnet8.published', { ...opts, weights });
      expect(m.outputs[0]!.shape, String(weights)).toEqual([null, 7]); // the tag's numClasses (resnet8 alone: 10)
      expect(fc(m)).toEqual(fc(src));
      m.dispose();
    }
  });

  it('an http(s) URL through download.fetch; a failed Response is named', async () => {
    const fetch: FetchLike = async (url) => {
      expect(url).toBe('https://mirror.example/mine.safetensors');
      return { ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer };
    };
    const m = await createModel('resnet8.published', { widths: [4, 4, 8], weights: 'https://mirror.example/mine.safetensors', download: { fetch } });
    expect(fc(m)).toEqual(fc(src));
    m.dispose();
    await expect(createModel('resnet8.published', { ...opts, weights: new Response('gone', { status: 404, statusText: 'Not Found' }) })).rejects.toThrow(
      "weights for 'resnet8.published': the Response is HTTP 404 Not Found, not the file",
    );
  });

  it('refuses a file of the wrong kind, a missing file, and a file with a model name, pointing at the tag form', async () => {
    const h5 = await makeKerasH5([{ name: 'fc', weights: [{ name: 'fc/kernel:0', data: new Float32Array(1), shape: [1] }] }]);
    await expect(createModel('resnet8.published', { ...opts, weights: h5 })).rejects.toThrow(/a Keras HDF5 file, but 'resnet8\.published' takes a PyTorch state dict in safetensors/);
    await expect(createModel('resnet8.published', { ...opts, weights: join(dir, 'nope.safetensors') })).rejects.toThrow(/cannot read weights file '.*nope\.safetensors': ENOENT/);
    await expect(createModel('resnet8', { weights: file })).rejects.toThrow(
      /with a model name, weights is a pretrained tag \(e\.g\. 'resnet8\.published'\)\. To load your own file with a tag's model options, name the tag: createModel\('resnet8\.published', \{ weights: <your file> \}\)/,
    );
    await expect(createModel('resnet8.published', { ...opts, weights: 'resnet18.tv_in1k' })).rejects.toThrow(/the name already names weights/);
  });

  it('loadClassifier(tag, { weights }): the tag\'s transform and labels, your file', async () => {
    const before = tf.memory().numTensors;
    const clf = await loadClassifier('resnet8.published', { weights: file, download: { fetch: noNetwork, offline: true } }).catch((e: Error) => e);
    // resnet8 at its default widths does not fit these weights: the tag has no widths, so the load names the mismatch.
    expect(clf).toBeInstanceOf(Error);
    expect((clf as Error).message).toMatch(/mismatched|shape/);
    expect(tf.memory().numTensors).toBe(before); // the model was disposed
    const full = buildModel('resnet8', { numClasses: 7 });
    const fullFile = join(dir, 'full.safetensors');
    writeFileSync(fullFile, exportWeights(full, { to: 'torchvision' }));
    const ok = await loadClassifier('resnet8.published', { weights: fullFile, download: { fetch: noNetwork, offline: true } });
    expect(ok.labels).toEqual(LABELS);
    expect(ok.transform).toMatchObject({ resizeSize: 32, cropSize: 32 });
    expect(fc(ok.model)).toEqual(fc(full));
    const top = await ok.classify(tf.fill([40, 48, 3], 100, 'int32') as tf.Tensor3D, { topK: 7 });
    expect(top.map((c) => c.label).sort()).toEqual([...LABELS].sort());
    ok.dispose();
    full.dispose();
  });
});

describe('registerPretrained', () => {
  it('takes a path or a file: URL in Node: read in place, never cached, never fetched', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'zoo-own-cache-'));
    registerPretrained('resnet8.by_path', { ...entry, source: { url: file, format: 'torchvision' } });
    registerPretrained('resnet8.by_file_url', { ...entry, source: { url: pathToFileURL(file).href, format: 'torchvision' } });
    for (const tag of ['resnet8.by_path', 'resnet8.by_file_url']) {
      const m = await createModel(tag, { widths: [4, 4, 8], download: { cacheDir, fetch: noNetwork } });
      expect(fc(m)).toEqual(fc(src));
      m.dispose();
      const r = await downloadPretrained(tag, { cacheDir, fetch: noNetwork, onWarning: (w) => expect.fail(w) });
      expect(r).toMatchObject({ path: file, cached: false, verified: false, checks: [] });
    }
    expect(readdirSync(cacheDir)).toEqual([]);
    await expect(downloadPretrained('resnet8.by_path', { requireVerified: true })).rejects.toThrow(/could not be verified: the entry has no hash for them; refused because requireVerified is set/);
  });

  it('checks the model, the tag\'s shape, the source and the labels at registration', () => {
    const bad: Array<[string, Partial<PretrainedEntry> & Record<string, unknown>, RegExp]> = [
      ['resnt8.x', { model: 'resnt8' }, /registerPretrained\('resnt8\.x'\): unknown model "resnt8"; register it first \(registerModel\) or use one of: .*resnet8/],
      ['resnet8', {}, /the tag must be '<model>\.<name>' with the entry's model first, e\.g\. 'resnet8\.my_weights'/],
      ['resnet20.x', {}, /the tag must be '<model>\.<name>' with the entry's model first, e\.g\. 'resnet8\.my_weights'/],
      ['resnet8.published', {}, /tag 'resnet8\.published' already exists/],
      ['resnet8.nosource', { source: undefined }, /source must be \{ url, format \}/],
      ['resnet8.tfjs', { source: { url: file, format: 'tfjs' as never } }, /source\.format must be 'torchvision', 'timm' or 'keras', got "tfjs" \(a tfjs model\.json comes with shards/],
      ['resnet8.sha', { source: { url: file, format: 'torchvision', sha256: 'abc' } }, /source\.sha256 must be 64 hex digits or null, got "abc"/],
      ['resnet8.labels', { labels: ['a', 'b'] }, /2 labels for numClasses 7; give one label per class \(or labels: undefined for the class indices\)/],
      ['resnet8.classes', { numClasses: 0 }, /numClasses must be a positive integer, got 0/],
      ['resnet8.mode', { preprocess: 'pytorch' as never }, /preprocess must be 'torch', 'caffe' or 'tf', got "pytorch"/],
      ['resnet8.std', { std: [0.2, 0, 0.2] }, /std must be three non-zero numbers/],
    ];
    for (const [tag, change, msg] of bad) expect(() => registerPretrained(tag, { ...entry, ...change } as PretrainedEntry), tag).toThrow(msg);
  });
});

describe('what the download messages say', () => {
  it('offline from the network: the message names the cache path and the front door for your copy', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'zoo-own-offline-'));
    const down: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND example.invalid') });
    };
    await expect(createModel('resnet8.published', { widths: [4, 4, 8], download: { cacheDir, fetch: down } })).rejects.toThrow(
      /is the network reachable\?[\s\S]*or pass your copy: createModel\('resnet8\.published', \{ weights: <path, URL or bytes of your copy> \}\)/,
    );
  });

  it('a cache hit that nothing verifies says what was checked, not what a server announced', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'zoo-own-hit-'));
    const where = join(cacheDir, 'example.invalid', 'zoo');
    mkdirSync(where, { recursive: true });
    writeFileSync(join(where, 'resnet8-published.safetensors'), bytes); // put there by hand: no .meta.json
    const warnings: string[] = [];
    await downloadPretrained('resnet8.published', { cacheDir, fetch: noNetwork, onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not be verified: the entry has no hash for them, and the cached copy \(.*resnet8-published\.safetensors\) has no download record \(put there by hand\?\); no server was asked/);
    expect(warnings[0]).not.toMatch(/the server announced/);
  });
});
