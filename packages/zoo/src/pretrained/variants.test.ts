import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '../classify/classifier.js';
import { createModel } from '../models/create.js';
import { logicalTensors } from '../safetensors/quantize.js';
import { parseSafetensors } from '../safetensors/read.js';
import { startFakeHub, type FakeHub } from '../testing/hub-server.js';
import { convertWeights } from '../weights/dtype-variants.js';
import { exportWeights } from '../weights/state-dict.js';
import { downloadPretrained } from './download.js';
import { registerPretrained } from '../models/pretrained.js';
import { getPretrained, type PretrainedSource } from './table.js';

const REPO = 'test/resnet20.variants';
const fp32 = exportWeights(createModel('resnet20'), { to: 'torchvision' });
const fp16 = convertWeights(fp32, 'fp16');
const q8 = convertWeights(fp32, 'q8');
const base = { ...getPretrained('resnet18.tv_in1k'), model: 'resnet20', numClasses: 10, inputSize: 32, resizeSize: 36, labels: undefined };
let hub: FakeHub;
let n = 0;

function tagFor(source: Partial<PretrainedSource>): `resnet20.${string}` {
  const tag = `resnet20.variants${++n}` as const;
  registerPretrained(tag, { ...base, source: { url: hub.url(REPO, 'model.safetensors'), format: 'torchvision', sha256: null, ...source } });
  return tag;
}
const freshDir = () => mkdtempSync(join(tmpdir(), 'zoo-variants-'));
const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name) : []);

/** True when every weight of `model` equals the file's value after dequantization (exported back to PyTorch layout). */
function holds(model: LayersModel, file: Uint8Array): boolean {
  const back = logicalTensors(parseSafetensors(exportWeights(model, { to: 'torchvision' })));
  return [...logicalTensors(parseSafetensors(file))].every(([k, t]) => {
    if (t.stored === 'I64') return true;
    const [a, b] = [back.get(k)!.read(), t.read()];
    return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  hub = await startFakeHub(
    [
      { repo: REPO, path: 'model.safetensors', bytes: fp32 },
      { repo: REPO, path: 'model.fp16.safetensors', bytes: fp16 },
      { repo: REPO, path: 'model.q8.safetensors', bytes: q8 },
    ],
    { '/plain/fp32-as-q8.safetensors': fp32, '/plain/cut-q8.safetensors': q8.subarray(0, q8.byteLength - 64) },
  );
});
afterAll(() => hub.close());

describe('dtype variants of a pretrained tag', () => {
  it('downloadPretrained / createModel / loadClassifier fetch the variant file, check it, cache it, and load it dequantized', async () => {
    const tag = tagFor({ variants: { fp16: { url: hub.url(REPO, 'model.fp16.safetensors'), sha256: null }, q8: { url: hub.url(REPO, 'model.q8.safetensors'), sha256: hub.sha256(REPO, 'model.q8.safetensors') } } });
    const cacheDir = freshDir();
    const r = await downloadPretrained(tag, { cacheDir, dtype: 'q8' });
    expect(r).toMatchObject({ dtype: 'q8', url: hub.url(REPO, 'model.q8.safetensors'), verified: true, checks: ['sha256 (table)', 'sha256 (server)'], cached: false });
    expect(r.bytes.byteLength).toBe(q8.byteLength);
    expect((await downloadPretrained(tag, { cacheDir, dtype: 'q8' })).cached).toBe(true);
    expect(hub.count('/test/resnet20.variants/resolve/main/model.safetensors')).toBe(0); // the fp32 file was never fetched

    const m16 = await createModel(tag, { dtype: 'fp16', download: { cacheDir } });
    expect(holds(m16, fp16)).toBe(true);
    expect(holds(m16, fp32)).toBe(false); // the check has teeth: fp16 values differ from the fp32 ones
    m16.dispose();
    const clf = await loadClassifier(tag, { dtype: 'q8', fuse: false, download: { cacheDir } });
    expect(holds(clf.model, q8)).toBe(true);
    clf.dispose();
    expect(filesIn(cacheDir).filter((f) => f.endsWith('.safetensors')).sort()).toEqual(['model.fp16.safetensors', 'model.q8.safetensors']);
  });

  it('bad choices: an unknown dtype, a variant the tag lacks, a dtype Keras weights cannot take; messages name the tag and the choices', async () => {
    const tag = tagFor({ variants: { fp16: { url: hub.url(REPO, 'model.fp16.safetensors'), sha256: null } } });
    await expect(downloadPretrained(tag, { dtype: 'int4' as 'q8' })).rejects.toThrow(`weights '${tag}': dtype must be one of 'fp32', 'fp16', 'q8'; got "int4" (this tag has 'fp32', 'fp16')`);
    await expect(loadClassifier(tag, { dtype: 'q8' })).rejects.toThrow(
      `weights '${tag}' have no 'q8' variant; this tag has 'fp32', 'fp16'. Make one from the fp32 file with \`resnet-train convert --dtype q8 IN OUT\``,
    );
    await expect(downloadPretrained('resnet50.keras_in1k', { dtype: 'fp16' })).rejects.toThrow(
      "weights 'resnet50.keras_in1k' are Keras HDF5, which this package loads in fp32 only; dtype 'fp16' needs safetensors weights (format 'torchvision' or 'timm'). Use dtype 'fp32'",
    );
    await expect(createModel(tag, { dtype: 'q8', download: { dtype: 'fp16' } })).rejects.toThrow(`weights '${tag}': dtype 'q8' and download.dtype 'fp16' disagree; pass one`);
    expect(() => registerPretrained('resnet20.badvariant', { ...base, source: { url: 'https://example.invalid/w.safetensors', format: 'torchvision', variants: { int8: { url: 'x', sha256: null } } as never } })).toThrow(
      "registerPretrained('resnet20.badvariant'): unknown variant 'int8'; variants: 'fp16', 'q8' (fp32 is the entry's own url)",
    );
    expect(() => registerPretrained('resnet20.badvariant', { ...base, modelOptions: { variant: 'v1' }, source: { format: 'keras', url: 'https://example.invalid/w.h5', variants: { fp16: { url: 'x', sha256: null } } } })).toThrow(/Keras HDF5 weights have no dtype variants/);
    expect(() => registerPretrained('resnet20.badvariant', { ...base, source: { url: 'https://example.invalid/w.safetensors', format: 'torchvision', variants: { q8: { url: 'x', sha256: 'abc' } } } })).toThrow(
      `variant 'q8' sha256 must be 64 hex digits or null, got "abc"`,
    );
  });

  it('a wrong-variant or truncated file that no hash catches is refused, naming tag and URL, and never cached', async () => {
    const wrong = tagFor({ variants: { q8: { url: `${hub.origin}/plain/fp32-as-q8.safetensors`, sha256: null } } });
    const cut = tagFor({ variants: { q8: { url: `${hub.origin}/plain/cut-q8.safetensors`, sha256: null } } });
    const cacheDir = freshDir();
    const onWarning = () => {};
    await expect(loadClassifier(wrong, { dtype: 'q8', download: { cacheDir, onWarning } })).rejects.toThrow(
      `weights '${wrong}': ${hub.origin}/plain/fp32-as-q8.safetensors holds fp32 weights, but the 'q8' file of the tag was asked for`,
    );
    await expect(createModel(cut, { dtype: 'q8', download: { cacheDir, onWarning } })).rejects.toThrow(
      new RegExp(`^weights '${cut}' \\(q8\\): ${hub.origin}/plain/cut-q8.safetensors: invalid safetensors file: .*truncated`),
    );
    expect(filesIn(cacheDir)).toEqual([]);
  });

  it('a corrupt variant in the cache is deleted and downloaded again', async () => {
    const tag = tagFor({ variants: { q8: { url: hub.url(REPO, 'model.q8.safetensors'), sha256: null } } });
    const cacheDir = freshDir();
    const warnings: string[] = [];
    const first = await downloadPretrained(tag, { cacheDir, dtype: 'q8' });
    writeFileSync(first.path!, q8.subarray(0, 1000)); // cut by hand; its size no longer matches the stored metadata
    const again = await downloadPretrained(tag, { cacheDir, dtype: 'q8', onWarning: (w) => warnings.push(w) });
    expect(again.cached).toBe(false);
    expect(again.bytes.byteLength).toBe(q8.byteLength);
    expect(warnings.join('\n')).toMatch(/deleted the cached file, downloading it again/);
    // A file put by hand (no metadata, so no size or hash to compare) is checked for its structure.
    const byHand = tagFor({ variants: { q8: { url: `${hub.origin}/plain/hand/q8.safetensors`, sha256: null } } });
    const where = (await downloadPretrained(tag, { cacheDir, dtype: 'q8' })).path!.replace(/[^/]+\/[^/]+\/resolve\/main\/model\.q8\.safetensors$/, 'plain/hand/q8.safetensors');
    mkdirSync(dirname(where), { recursive: true });
    writeFileSync(where, fp16);
    await expect(downloadPretrained(byHand, { cacheDir, dtype: 'q8', offline: true, onWarning: (w) => warnings.push(w) })).rejects.toThrow(/^offline: weights '.*' are not in the cache/);
    expect(warnings.at(-1)).toMatch(/holds fp16 weights, but the 'q8' file of the tag was asked for; .*deleted the cached file, offline, so not downloading it again/);
    expect(existsSync(where)).toBe(false);
  });
});
