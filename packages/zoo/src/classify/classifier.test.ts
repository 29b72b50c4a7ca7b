import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../io/decode.js';
import { createModel } from '../models/create.js';
import { registerPretrained } from '../models/pretrained.js';
import { getPretrained } from '../pretrained/table.js';
import { preprocess } from '../transforms/preprocess.js';
import { fixturePath } from '../testing/fixtures.js';
import type { FetchLike } from '../net/fetch.js';
import { exportWeights } from '../weights/state-dict.js';
import { loadClassifier, type Classification } from './classifier.js';

// A CIFAR ResNet-20 with its own weights file, served by an injected fetch (tests never download).
const LABELS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const bytes = exportWeights(createModel('resnet20'), { to: 'torchvision' });
const source = { url: 'https://example.invalid/zoo/resnet20-classify.safetensors', format: 'torchvision' as const };
const base = { ...getPretrained('resnet18.tv_in1k'), model: 'resnet20' };
registerPretrained('resnet20.classify-test', { ...base, source: { ...source, sha256: createHash('sha256').update(bytes).digest('hex') }, numClasses: 10, inputSize: 32, resizeSize: 36, interpolation: 'bicubic', labels: LABELS });
registerPretrained('resnet20.classify-nolabels', { ...base, source, numClasses: 10, inputSize: 32, resizeSize: 36, labels: undefined });
const fetch: FetchLike = async () => ({ ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer });
const download = () => ({ cacheDir: mkdtempSync(join(tmpdir(), 'zoo-classify-')), fetch });

const photo = fixturePath('photos/chelsea.jpg');
const top = (c: Classification[]) => c.map((p) => `${p.label}:${p.probability.toFixed(6)}`);

describe('loadClassifier → classify', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('binds the weights, their transform and labels; any input form gives the same answer; no tensor leaks', async () => {
    const clf = await loadClassifier('resnet20.classify-test', { download: download() });
    expect(clf.transform).toMatchObject({ resizeSize: 36, cropSize: 32, interpolation: 'bicubic' });
    expect(clf.labels).toEqual(LABELS);
    // Reference: the same pixels through preprocess(…, tag) and the model, softmax written out here.
    const pixels = await decodeImage(photo);
    const x = preprocess(pixels, 'resnet20.classify-test');
    const logits = Array.from(await (clf.model.predict(x) as tf.Tensor).data());
    const exp = logits.map((v) => Math.exp(v - Math.max(...logits)));
    const want = exp.map((e, i) => ({ label: LABELS[i]!, index: i, probability: e / exp.reduce((a, b) => a + b) })).sort((a, b) => b.probability - a.probability).slice(0, 3);
    tf.dispose(x);

    const before = tf.memory().numTensors;
    const got = await clf.classify(photo, { topK: 3 });
    expect(got.map((p) => p.index)).toEqual(want.map((p) => p.index));
    got.forEach((p, i) => expect(p.probability).toBeCloseTo(want[i]!.probability, 6));
    expect(Object.keys(got[0]!).sort()).toEqual(['index', 'label', 'probability']);

    const tensor = tf.tensor3d(pixels.data, [pixels.height, pixels.width, 3], 'int32');
    const rgba = new Uint8ClampedArray(pixels.width * pixels.height * 4).map((_, i) => (i % 4 === 3 ? 255 : pixels.data[(i >> 2) * 3 + (i % 4)]!));
    const inputs = [readFileSync(photo), pathToFileURL(photo), tensor, { data: rgba, width: pixels.width, height: pixels.height }];
    const each = await clf.classify(inputs, { topK: 3, batchSize: 3 });
    expect(each.map(top)).toEqual(inputs.map(() => top(got)));
    tensor.dispose();
    expect(tf.memory().numTensors).toBe(before);
    clf.dispose();
  });

  it('errors name the input and what is valid', async () => {
    const clf = await loadClassifier('resnet20.classify-test', { download: download() });
    await expect(clf.classify('/no/such/cat.jpg')).rejects.toThrow(/cannot read image file '\/no\/such\/cat.jpg'/);
    await expect(clf.classify(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(/image bytes: cannot decode the image .*JPEG, PNG, WebP/);
    await expect(clf.classify(42 as never)).rejects.toThrow(/unsupported input \[object Number\]; pass a tensor/);
    const batch = tf.zeros([2, 40, 40, 3], 'int32');
    await expect(clf.classify(batch)).rejects.toThrow(/holds 2 images; pass an array/);
    expect((await clf.classify([batch])).length).toBe(2);
    batch.dispose();
    await expect(clf.classify(photo, { topK: 0 })).rejects.toThrow(/topK must be a positive integer, got 0/);
    clf.dispose();
    // Custom weights without labels: class indices as names, unless the count is wrong.
    const plain = await loadClassifier('resnet20.classify-nolabels', { download: download() });
    expect(plain.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    plain.dispose();
    // A wrong label count is refused when the weights are registered, not when they are first used.
    expect(() => registerPretrained('resnet20.classify-badlabels', { ...getPretrained('resnet20.classify-test'), labels: ['a', 'b'] })).toThrow(/2 labels for numClasses 10/);
  });

  it('refuses empty, zero-size and non-finite images, and never returns a NaN probability', async () => {
    const clf = await loadClassifier('resnet20.classify-test', { download: download() });
    const before = tf.memory().numTensors;
    const nan = tf.tensor3d([NaN, 1, 2, Infinity, ...new Array(40 * 40 * 3 - 4).fill(100)], [40, 40, 3]);
    const empty = tf.zeros([0, 0, 3]);
    const noBatch = tf.zeros([0, 40, 40, 3]);
    await expect(clf.classify(nan)).rejects.toThrow('classify: the image tensor holds 2 non-finite values (NaN or ±Inf) of 4800; pixels must be finite 0..255 values');
    await expect(clf.classify(empty)).rejects.toThrow('classify: [0, 0, 3] tensor: empty image (0×0 pixels); pass an image with at least one pixel');
    await expect(clf.classify([noBatch])).rejects.toThrow('classify: empty batch (tensor of shape [0, 40, 40, 3]); pass at least one image');
    await expect(clf.classify({ data: new Uint8Array(0), width: 0, height: 5 })).rejects.toThrow('classify: empty image (0×5 pixels)');
    expect(await clf.classify([])).toEqual([]); // no inputs, no results (as Array.map)
    tf.dispose([nan, empty, noBatch]);
    expect(tf.memory().numTensors).toBe(before);
    clf.dispose();
    // Weights holding NaN load only when asked, and then classify refuses to return NaN probabilities.
    const src = createModel('resnet20');
    src.getLayer('fc').setWeights([tf.fill([64, 10], NaN), tf.zeros([10])]);
    const broken = exportWeights(src, { to: 'torchvision' });
    src.dispose();
    await expect(loadClassifier('resnet20.classify-test', { weights: broken })).rejects.toThrow(/non-finite values in 1 of \d+ tensors: 'fc\.weight' \(640 NaN\)/);
    const bad = await loadClassifier('resnet20.classify-test', { weights: broken, allowNonFinite: true });
    const t = tf.fill([32, 32, 3], 128, 'int32');
    await expect(bad.classify(t)).rejects.toThrow(/classify: the model gave 10 non-finite logits \(NaN or ±Inf\) for 1 image\(s\)/);
    t.dispose();
    bad.dispose();
  });
});
