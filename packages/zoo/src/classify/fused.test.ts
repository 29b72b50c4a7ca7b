import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../models/create.js';
import type { FetchLike } from '../net/fetch.js';
import { registerPretrained } from '../models/pretrained.js';
import { getPretrained } from '../pretrained/table.js';
import { exportWeights } from '../weights/state-dict.js';
import { loadClassifier } from './classifier.js';

const weights = exportWeights(createModel('resnet20'), { to: 'torchvision' });
const fetch: FetchLike = async () => ({ ok: true, status: 200, arrayBuffer: async () => weights.slice().buffer });
const onWarning = () => {};
const freshDir = () => mkdtempSync(join(tmpdir(), 'zoo-fused-'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('loadClassifier fuses for inference by default', () => {
  it('same classes and probabilities as the plain model; fuse: false opts out; nothing leaks', async () => {
    const tag = 'resnet20.fuse-test';
    registerPretrained(tag, { ...getPretrained('resnet18.tv_in1k'), model: 'resnet20', source: { url: 'https://example.invalid/resnet20.safetensors', format: 'torchvision', sha256: null }, numClasses: 10, inputSize: 32, resizeSize: 36, labels: undefined });
    const cacheDir = freshDir();
    const before = tf.memory().numTensors;
    const fused = await loadClassifier(tag, { download: { cacheDir, fetch, onWarning } });
    const plain = await loadClassifier(tag, { download: { cacheDir, fetch, onWarning }, fuse: false });
    expect([fused.isFused, plain.isFused]).toEqual([true, false]);
    const images = [0, 1, 2].map((k) => tf.tidy(() => tf.reshape(tf.mul(tf.add(tf.sin(tf.mul(tf.range(0, 40 * 48 * 3), 0.01 * (k + 1))), 1), 127.5), [40, 48, 3])));
    const a = await fused.classify(images, { topK: 10 });
    const b = await plain.classify(images, { topK: 10 });
    a.forEach((row, i) => {
      expect(row.map((c) => c.index)).toEqual(b[i]!.map((c) => c.index));
      row.forEach((c, j) => expect(Math.abs(c.probability - b[i]![j]!.probability)).toBeLessThan(1e-5));
    });
    tf.dispose(images);
    fused.dispose();
    plain.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
