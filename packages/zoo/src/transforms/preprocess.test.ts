import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { getPretrained } from '../pretrained/table.js';
import { preprocess } from './preprocess.js';
import { CAFFE_BGR_MEAN } from '../spec/transform.js';
import { getTransforms } from './transform.js';

const pixel = (r: number, g: number, b: number) => tf.tidy(() => tf.tile(tf.tensor3d([[[r, g, b]]], undefined, 'int32'), [32, 32, 1]) as tf.Tensor3D);
const first3 = (t: tf.Tensor) => [...(t.dataSync() as Float32Array).slice(0, 3)];

describe('preprocess', () => {
  it("'torch', 'caffe' and 'tf' normalise as torchvision and Keras do", () => {
    const before = tf.memory().numTensors;
    const img = pixel(200, 100, 50);
    const torch = preprocess(img, { cropSize: null });
    [(200 / 255 - 0.485) / 0.229, (100 / 255 - 0.456) / 0.224, (50 / 255 - 0.406) / 0.225].forEach((v, i) => expect(first3(torch)[i]).toBeCloseTo(v, 5));
    const caffe = preprocess(img, { mode: 'caffe', cropSize: null });
    [50, 100, 200].forEach((v, i) => expect(first3(caffe)[i]).toBeCloseTo(v - CAFFE_BGR_MEAN[i]!, 4));
    const tfm = preprocess(img, { mode: 'tf', cropSize: null });
    [200, 100, 50].forEach((v, i) => expect(first3(tfm)[i]).toBeCloseTo(v / 127.5 - 1, 6));
    tf.dispose([img, torch, caffe, tfm]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resizes the shorter side (longer one truncated) and center-crops with Python rounding, as torchvision', () => {
    const img = tf.zeros([300, 401, 3], 'int32');
    // 300×401 → 256×342 (int(256 · 401 / 300) = 342) → 224×224
    expect(preprocess(img).shape).toEqual([1, 224, 224, 3]);
    expect(preprocess(img, { cropSize: null, resizeSize: 256 }).shape).toEqual([1, 256, 342, 3]);
    expect(preprocess(img, { cropSize: null }).shape).toEqual([1, 300, 401, 3]); // neither resized nor cropped
    // No resize (the shorter side is already 8): the crop takes columns from round((10 − 5) / 2) = round(2.5) = 2.
    const cols = tf.tidy(() => tf.cast(tf.tile(tf.reshape(tf.range(0, 10), [1, 10, 1]), [8, 1, 3]), 'int32'));
    const crop = preprocess(cols, { cropSize: 5, resizeSize: 8, mode: 'tf' });
    const firstRow = [...crop.dataSync()].filter((_, i) => i % 3 === 0).slice(0, 5).map((v) => Math.round((v + 1) * 127.5));
    expect(firstRow).toEqual([2, 3, 4, 5, 6]);
    tf.dispose([img, cols, crop]);
  });

  it('takes a tag or an entry and applies that weights’ transform', () => {
    expect(getTransforms('resnet50.tv2_in1k')).toEqual({
      resizeSize: 232,
      cropSize: 224,
      interpolation: 'bilinear',
      antialias: true,
      channelOrder: 'rgb',
      valueRange: [0, 1],
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    });
    expect(getTransforms('resnet50.keras_in1k')).toMatchObject({ channelOrder: 'bgr', valueRange: [0, 255], mean: [...CAFFE_BGR_MEAN], std: [1, 1, 1] });
    const data = Uint8Array.from({ length: 300 * 260 * 3 }, (_, i) => (i * 31) % 251);
    const img = { data, width: 300, height: 260 };
    const byTag = preprocess(img, 'resnet50.tv2_in1k');
    const byEntry = preprocess(img, getPretrained('resnet50.tv2_in1k'));
    const byOptions = preprocess(img, { resizeSize: 232 });
    const v1 = preprocess(img, 'resnet50.tv_in1k'); // resize 256: other pixels
    expect([...byTag.dataSync()]).toEqual([...byOptions.dataSync()]);
    expect([...byEntry.dataSync()]).toEqual([...byOptions.dataSync()]);
    expect([...v1.dataSync()]).not.toEqual([...byTag.dataSync()]);
    tf.dispose([byTag, byEntry, byOptions, v1]);
  });

  it('accepts RGBA ImageData-like pixels, gray and RGBA tensors, and batches', () => {
    const rgba = new Uint8ClampedArray(32 * 32 * 4).fill(255);
    const x = preprocess({ data: rgba, width: 32, height: 32 }, { mode: 'tf', cropSize: null });
    expect(x.shape).toEqual([1, 32, 32, 3]);
    expect(Math.min(...x.dataSync())).toBe(1);
    const gray = tf.fill([40, 30, 1], 128, 'int32');
    const g = preprocess(gray, { cropSize: 24, resizeSize: 24, mode: 'tf' });
    expect(new Set(g.dataSync()).size).toBe(1); // a flat gray stays flat in all three channels
    const batch = tf.zeros([3, 40, 50, 4], 'int32');
    expect(preprocess(batch, { cropSize: 16 }).shape).toEqual([3, 16, 16, 3]);
    tf.dispose([x, gray, g, batch]);
  });

  it('names what is wrong', () => {
    const img = tf.zeros([40, 40, 3], 'int32');
    expect(() => preprocess(tf.zeros([2, 2]))).toThrow(/must be \[height, width, channels\]/);
    expect(() => preprocess(tf.zeros([4, 4, 2]))).toThrow(/1 \(gray\), 3 \(RGB\) or 4 \(RGBA\) channels, got 2/);
    expect(() => preprocess(img, { mode: 'keras' as never })).toThrow(/'torch', 'caffe' or 'tf'/);
    expect(() => preprocess(img, { size: 224 } as never)).toThrow(/unknown option\(s\) size \('size' is now 'cropSize'\); valid: mode, resizeSize, cropSize/);
    expect(() => preprocess(img, { interpolation: 'nearest' as never })).toThrow(/interpolation must be 'bilinear' or 'bicubic', got "nearest"/);
    expect(() => preprocess(img, { cropSize: 64, resizeSize: 48 })).toThrow(/cannot crop 64×64 from a 48×48 image/);
    expect(() => preprocess(img, 'resnet50.nope')).toThrow(/unknown pretrained weights 'resnet50.nope'/);
    expect(() => preprocess({ data: new Uint8Array(5), width: 2, height: 2 })).toThrow(/5 bytes is not 2×2 pixels/);
    expect(() => preprocess('cat.jpg' as never)).toThrow(/tensor or \{ data, width, height \}/);
    img.dispose();
  });

  it('names the option the caller gave, and calls an empty or non-finite image what it is', () => {
    const img = tf.zeros([40, 40, 3], 'int32');
    // cropSize -5 used to report the resizeSize derived from it (round(-5 / 0.875) = -6).
    expect(() => preprocess(img, { cropSize: -5 })).toThrow('preprocess: cropSize must be a positive integer, got -5');
    expect(() => preprocess(img, { cropSize: 2.5 })).toThrow('preprocess: cropSize must be a positive integer, got 2.5');
    expect(() => preprocess(img, { resizeSize: 0, cropSize: null })).toThrow('preprocess: resizeSize must be a positive integer, got 0');
    const empty = tf.zeros([0, 0, 3]);
    expect(() => preprocess(empty)).toThrow('preprocess: [0, 0, 3] tensor: empty image (0×0 pixels); pass an image with at least one pixel');
    const thin = tf.zeros([5, 0, 3], 'int32');
    expect(() => preprocess(thin)).toThrow(/empty image \(0×5 pixels\)/);
    const noImages = tf.zeros([0, 8, 8, 3]);
    expect(() => preprocess(noImages)).toThrow('preprocess: empty batch (tensor of shape [0, 8, 8, 3]); pass at least one image');
    const nan = tf.tensor3d([NaN, -Infinity, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);
    expect(() => preprocess(nan, { cropSize: null })).toThrow('preprocess: the image tensor holds 2 non-finite values (NaN or ±Inf) of 12; pixels must be finite 0..255 values');
    expect(() => preprocess({ data: new Uint8Array(0), width: 0, height: 0 })).toThrow('preprocess: empty image (0×0 pixels)');
    tf.dispose([img, empty, thin, noImages, nan]);
  });
});
