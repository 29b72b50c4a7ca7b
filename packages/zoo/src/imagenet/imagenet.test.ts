import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { readFixtureJson } from '../testing/fixtures.js';
import { decodePredictions } from './decode.js';
import { IMAGENET_CLASSES } from './labels.js';
import { CAFFE_BGR_MEAN, preprocess } from './preprocess.js';

describe('ImageNet labels', () => {
  it('are torchvision 0.14 categories, 1000 of them', () => {
    expect(IMAGENET_CLASSES).toEqual(readFixtureJson<string[]>('imagenet_labels.json'));
    expect(IMAGENET_CLASSES.length).toBe(1000);
    expect([IMAGENET_CLASSES[0], IMAGENET_CLASSES[1], IMAGENET_CLASSES[999]]).toEqual(['tench', 'goldfish', 'toilet tissue']);
  });
});

describe('decodePredictions', () => {
  it('returns the top-K classes with softmax probabilities', () => {
    const row = new Array(1000).fill(0);
    row[1] = Math.log(6); // exp: 6 for goldfish, 3 for tench, 1 for the other 998
    row[0] = Math.log(3);
    const logits = tf.tensor2d([row]);
    const [top] = decodePredictions(logits, 3);
    logits.dispose();
    const sum = 6 + 3 + 998;
    expect(top!.map((p) => p.label)).toEqual(['goldfish', 'tench', 'great white shark']);
    expect(top![0]!.probability).toBeCloseTo(6 / sum, 9);
    expect(top![1]!.probability).toBeCloseTo(3 / sum, 9);
    expect(() => decodePredictions([[1, 2]], 1)).toThrow(/2 classes but 1000 labels/);
    expect(decodePredictions([[1, 3, 2]], 2, ['a', 'b', 'c'])[0]!.map((p) => p.label)).toEqual(['b', 'c']);
  });
});

describe('preprocess', () => {
  const pixel = (r: number, g: number, b: number) => tf.tidy(() => tf.tile(tf.tensor3d([[[r, g, b]]]), [32, 32, 1]) as tf.Tensor3D);

  it("'torch', 'caffe' and 'tf' normalise as torchvision and Keras do", () => {
    const before = tf.memory().numTensors;
    const img = pixel(200, 100, 50);
    const at = (t: tf.Tensor) => [...(t.dataSync() as Float32Array).slice(0, 3)];
    const torch = preprocess(img, { size: null });
    const expTorch = [(200 / 255 - 0.485) / 0.229, (100 / 255 - 0.456) / 0.224, (50 / 255 - 0.406) / 0.225];
    at(torch).forEach((v, i) => expect(v).toBeCloseTo(expTorch[i]!, 5));
    const caffe = preprocess(img, { mode: 'caffe', size: null });
    at(caffe).forEach((v, i) => expect(v).toBeCloseTo([50, 100, 200][i]! - CAFFE_BGR_MEAN[i]!, 4));
    const tfm = preprocess(img, { mode: 'tf', size: null });
    at(tfm).forEach((v, i) => expect(v).toBeCloseTo([200 / 127.5 - 1, 100 / 127.5 - 1, 50 / 127.5 - 1][i]!, 6));
    tf.dispose([img, torch, caffe, tfm]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resizes the shorter side and center-crops like torchvision', () => {
    const img = tf.zeros([300, 400, 3]);
    expect(preprocess(img).shape).toEqual([1, 224, 224, 3]); // 300×400 → 256×341 → 224×224
    // Without resizing, the crop takes rows/cols round((h - s) / 2): a column-index image shows it.
    const cols = tf.tidy(() => tf.tile(tf.reshape(tf.range(0, 10), [1, 10, 1]), [8, 1, 3]));
    const crop = preprocess(cols, { size: 5, resizeSize: 8, mode: 'tf' });
    const firstRow = [...crop.dataSync()].filter((_, i) => i % 3 === 0).slice(0, 5).map((v) => Math.round((v + 1) * 127.5));
    expect(firstRow).toEqual([2, 3, 4, 5, 6]); // left = Python round(2.5) = 2 (torchvision); 8×10 is not resized
    expect(() => preprocess(tf.zeros([2, 2]))).toThrow(/must be \[height, width, 3\]/);
    expect(() => preprocess(img, { mode: 'keras' as never })).toThrow(/'torch', 'caffe' or 'tf'/);
    tf.dispose([img, cols, crop]);
  });

  it('accepts ImageData-like RGBA pixels', () => {
    const data = new Uint8ClampedArray(32 * 32 * 4).fill(255);
    const x = preprocess({ data, width: 32, height: 32 }, { mode: 'tf', size: null });
    expect(x.shape).toEqual([1, 32, 32, 3]);
    expect(Math.min(...x.dataSync())).toBe(1);
    x.dispose();
  });
});
