import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCifarResNet } from '../models/cifar.js';
import { createModel } from '../models/create.js';
import * as entrypoints from '../models/entrypoints.js';
import { buildResNet } from '../models/resnet.js';
import { listModels } from '../models/registry.js';
import type { FetchLike } from '../net/fetch.js';
import { exportWeights } from '../weights/state-dict.js';
import { downloadPretrained } from './download.js';
import { registerPretrained } from '../models/pretrained.js';
import { PRETRAINED, getPretrained, listPretrained } from './table.js';

describe('pretrained table', () => {
  it('every entry names a registered model and is complete', () => {
    const models = listModels();
    for (const [tag, e] of Object.entries(PRETRAINED)) {
      expect(models, tag).toContain(e.model);
      expect(tag.startsWith(`${e.model}.`)).toBe(true);
      expect(e.source.url).toMatch(/^https:\/\//);
      expect(e.source.sha256 === null || /^[0-9a-f]{64}$/.test(e.source.sha256!)).toBe(true);
      expect(e.top1).toBeGreaterThan(60);
      expect(e.numClasses).toBe(1000);
      expect(e.license!.length).toBeGreaterThan(0);
      if (e.source.format === 'keras') expect(e.source.md5).toMatch(/^[0-9a-f]{32}$/);
      if (e.source.origin) expect(e.source.origin.url).toContain(e.source.origin.sha256Prefix);
    }
    expect(listPretrained('resnet50')).toEqual(['resnet50.keras_in1k', 'resnet50.tv2_in1k', 'resnet50.tv_in1k']);
    expect(() => getPretrained('resnet50.nope')).toThrow("unknown pretrained weights 'resnet50.nope'; weights for resnet50: resnet50.keras_in1k, resnet50.tv2_in1k, resnet50.tv_in1k");
    expect(() => getPretrained('nope')).toThrow(/unknown pretrained weights 'nope'; known: densenet121\.tv_in1k, .*resnet50\.tv_in1k/);
  });
});

describe('createModel(name, { weights }) with an injected fetch (no network in tests)', () => {
  const src = createModel('resnet20');
  const bytes = exportWeights(src, { to: 'torchvision' });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  registerPretrained('resnet20.test', {
    ...getPretrained('resnet18.tv_in1k'),
    model: 'resnet20',
    source: { url: 'https://example.invalid/zoo/resnet20.safetensors', format: 'torchvision', sha256 },
    numClasses: 10,
    labels: undefined,
  });
  registerPretrained('resnet20.badhash', { ...getPretrained('resnet20.test'), source: { ...getPretrained('resnet20.test').source, sha256: '0'.repeat(64) } });

  it('downloads into the cache, verifies the hash, loads, and reuses the cache', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'zoo-cache-'));
    let calls = 0;
    const fetch: FetchLike = async (url) => {
      calls++;
      expect(url).toBe('https://example.invalid/zoo/resnet20.safetensors');
      return { ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer };
    };
    let verified: boolean | undefined;
    const m = await createModel('resnet20', { weights: 'resnet20.test', download: { cacheDir, fetch }, onReport: (_r, v) => (verified = v) });
    expect(verified).toBe(true);
    expect([...m.getLayer('conv1').getWeights()[0]!.dataSync()]).toEqual([...src.getLayer('conv1').getWeights()[0]!.dataSync()]);
    const again = await downloadPretrained('resnet20.test', { cacheDir, fetch });
    expect(readdirSync(join(cacheDir, 'example.invalid', 'zoo'))).toEqual(['resnet20.safetensors', 'resnet20.safetensors.meta.json']);
    expect(again).toMatchObject({ cached: true, verified: true });
    expect(calls).toBe(1);
    m.dispose();
  });

  it('without a network says so, and names the URL and the cache path', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'zoo-cache-'));
    const offline: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND example.invalid') });
    };
    await expect(createModel('resnet20', { weights: 'resnet20.test', download: { cacheDir, fetch: offline } })).rejects.toThrow(
      /cannot download 'https:\/\/example\.invalid\/zoo\/resnet20\.safetensors'.*is the network reachable\?[\s\S]*put the file at .*example\.invalid\/zoo\/resnet20\.safetensors/,
    );
    const http404: FetchLike = async () => ({ ok: false, status: 404, statusText: 'Not Found', arrayBuffer: async () => new ArrayBuffer(0) });
    await expect(downloadPretrained('resnet20.test', { cacheDir, fetch: http404 })).rejects.toThrow(/HTTP 404 Not Found/);
  });

  it('a hash mismatch is an error and nothing is cached', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'zoo-cache-'));
    const fetch: FetchLike = async () => ({ ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer });
    await expect(downloadPretrained('resnet20.badhash', { cacheDir, fetch })).rejects.toThrow(
      new RegExp(`hash mismatch .*sha256 ${sha256}, expected 0{64}`),
    );
    expect(existsSync(join(cacheDir, 'example.invalid'))).toBe(false);
  });

  it('rejects weights for another model, listing the weights that fit', async () => {
    await expect(createModel('resnet56', { weights: 'resnet20.test' })).rejects.toThrow("weights 'resnet20.test' are for model 'resnet20', not 'resnet56'; no published weights for resnet56");
    await expect(createModel('resnet50', { weights: 'resnet18.tv_in1k' })).rejects.toThrow(
      "weights 'resnet18.tv_in1k' are for model 'resnet18', not 'resnet50'; weights for resnet50: resnet50.keras_in1k, resnet50.tv2_in1k, resnet50.tv_in1k",
    );
  });

  it("takes a pretrained tag as the name, as timm does: createModel('resnet20.test') loads the weights", async () => {
    const fetch: FetchLike = async () => ({ ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer });
    const pending = createModel('resnet20.test', { download: { cache: false, fetch } });
    expect(pending).toBeInstanceOf(Promise);
    const m = await pending;
    expect([...m.getLayer('fc').getWeights()[0]!.dataSync()]).toEqual([...src.getLayer('fc').getWeights()[0]!.dataSync()]);
    m.dispose();
    await expect(createModel('resnet20.test', { weights: 'resnet20.badhash' })).rejects.toThrow(/the name already names weights/);
    await expect(createModel('resnet50.nope')).rejects.toThrow(/unknown pretrained weights 'resnet50\.nope'; weights for resnet50: /);
  });
});

describe('no silent traps: every builder refuses weights and names createModel', () => {
  const builders: Array<[string, (o: object) => unknown]> = [
    ...Object.entries(entrypoints),
    ['buildResNet', (o) => buildResNet({ block: 'basic', layers: [2, 2, 2, 2] }, o, 'resnet18')],
    ['buildCifarResNet', (o) => buildCifarResNet(20, false, o)],
  ];
  it.each(builders)('%s', (name, build) => {
    expect(() => build({ weights: 'resnet50.tv2_in1k' })).toThrow(/builders return untrained models and do not load weights; use createModel\('\w+', \{ weights: 'resnet50\.tv2_in1k' \}\)/);
    expect(() => build({ download: {} })).toThrow(/use createModel/);
    expect(() => build({ pretrained: true })).toThrow(/use createModel/);
  });
  it('the message lists the weights for that model', () => {
    expect(() => entrypoints.resnet50({ weights: 'x' } as never)).toThrow(/weights for resnet50: resnet50\.keras_in1k, resnet50\.tv2_in1k, resnet50\.tv_in1k/);
    expect(() => entrypoints.resnet56({ weights: 'x' } as never)).toThrow(/no published weights for resnet56/);
  });
});
