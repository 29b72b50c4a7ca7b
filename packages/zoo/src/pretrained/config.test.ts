import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../classify/classifier.js';
import { createModel } from '../models/create.js';
import type { FetchLike } from '../net/fetch.js';
import { getTransforms } from '../transforms/transform.js';
import { exportWeights } from '../weights/state-dict.js';
import { resolvePretrained } from './config.js';
import { registerPretrained } from '../models/pretrained.js';
import { PRETRAINED, defaultPretrained, getPretrained } from './table.js';

describe('resolvePretrained: a tag parsed once', () => {
  it('gives the model, its options, the eval transform and the labels', () => {
    // torchvision 0.14: ResNet50_Weights.IMAGENET1K_V2.transforms() = resize 232, crop 224, bilinear.
    const cfg = resolvePretrained('resnet50.tv2_in1k');
    expect(cfg).toMatchObject({ tag: 'resnet50.tv2_in1k', model: 'resnet50', modelOptions: { numClasses: 1000 } });
    expect(cfg.transform).toEqual({
      resizeSize: 232, cropSize: 224, interpolation: 'bilinear', antialias: true,
      channelOrder: 'rgb', valueRange: [0, 1], mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
    });
    expect(cfg.labels.length).toBe(1000);
    expect(cfg.labels[0]).toBe('tench');
    expect(getTransforms('resnet50.tv2_in1k')).toEqual(cfg.transform);
    // Keras applications: caffe mode (BGR, 0..255 minus the ImageNet BGR means) and the v1 layout.
    const keras = resolvePretrained('resnet50.keras_in1k');
    expect(keras.modelOptions).toEqual({ numClasses: 1000, variant: 'v1' });
    expect(keras.transform).toMatchObject({ channelOrder: 'bgr', valueRange: [0, 255], mean: [103.939, 116.779, 123.68], std: [1, 1, 1] });
  });

  it("a model name takes its default weights, torchvision's DEFAULT (V2 where published, else V1; never Keras)", () => {
    // torchvision 0.14: ResNet50/101/152_Weights.DEFAULT = IMAGENET1K_V2; ResNet18/34, Wide ResNet-50-2 (V2 exists there
    // but not in this table), ResNeXt, DenseNets: the V1 weights listed here.
    expect(defaultPretrained('resnet50')).toBe('resnet50.tv2_in1k');
    expect(defaultPretrained('resnet101')).toBe('resnet101.tv2_in1k');
    expect(defaultPretrained('resnet152')).toBe('resnet152.tv2_in1k');
    expect(defaultPretrained('resnet18')).toBe('resnet18.tv_in1k');
    expect(defaultPretrained('densenet121')).toBe('densenet121.tv_in1k');
    expect(defaultPretrained('resnet56')).toBeUndefined();
    const models = new Set(Object.values(PRETRAINED).map((e) => e.model));
    for (const m of models) expect(getPretrained(defaultPretrained(m)!).source.format, m).not.toBe('keras');
    expect(resolvePretrained('resnet50').tag).toBe('resnet50.tv2_in1k');
    expect(() => resolvePretrained('resnet56')).toThrow(/no pretrained weights for 'resnet56'; models with weights: .*resnet50/);
    expect(() => resolvePretrained('resnet50.nope')).toThrow(/unknown pretrained weights 'resnet50\.nope'/);
  });
});

describe('default weights through the front door (injected fetch, no network)', () => {
  const src = createModel('resnet32', { numClasses: 3 });
  const bytes = exportWeights(src, { to: 'torchvision' });
  registerPretrained('resnet32.mine', {
    ...getPretrained('resnet18.tv_in1k'),
    model: 'resnet32',
    source: { url: 'https://example.invalid/zoo/resnet32-mine.safetensors', format: 'torchvision', sha256: createHash('sha256').update(bytes).digest('hex') },
    inputSize: 32,
    resizeSize: 32,
    numClasses: 3,
    labels: ['cat', 'dog', 'bird'],
  });
  const fetch: FetchLike = async () => ({ ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer });

  it("createModel(name, { pretrained: true }) loads the model's default weights with their class count", async () => {
    expect(defaultPretrained('resnet32')).toBe('resnet32.mine'); // the only weights registered for it
    const m = await createModel('resnet32', { pretrained: true, download: { cache: false, fetch } });
    expect(m.outputs[0]!.shape).toEqual([null, 3]); // numClasses from the weights, not resnet32's default 10
    expect([...m.getLayer('fc').getWeights()[0]!.dataSync()]).toEqual([...src.getLayer('fc').getWeights()[0]!.dataSync()]);
    m.dispose();
    await expect(createModel('resnet32.mine', { pretrained: false })).rejects.toThrow(/the name is a weights tag; pass the model name/);
  });

  it("loadClassifier(name) takes the default weights, their transform and labels", async () => {
    const before = tf.memory().numTensors;
    const clf = await loadClassifier('resnet32', { download: { cache: false, fetch } });
    expect(clf.labels).toEqual(['cat', 'dog', 'bird']);
    expect(clf.transform.cropSize).toBe(32);
    const x = tf.fill([40, 40, 3], 128, 'int32');
    const top = await clf.classify(x, { topK: 3 });
    expect(top.map((c) => c.label).sort()).toEqual(['bird', 'cat', 'dog']);
    expect(top.reduce((a, c) => a + c.probability, 0)).toBeCloseTo(1, 5);
    x.dispose();
    clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
