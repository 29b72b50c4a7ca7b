import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage, encodePng, IMAGENET_MEAN, IMAGENET_STD, preprocessImageNet } from './image.js';

describe('decodeImage', () => {
  it('reads back the exact pixels of a PNG it wrote', async () => {
    const pixels = tf.tensor3d([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90], [2, 3, 3], 'int32');
    const back = decodeImage(await encodePng(pixels));
    expect(back.shape).toEqual([2, 3, 3]);
    expect(Array.from(await back.data())).toEqual(Array.from(await pixels.data()));
    tf.dispose([pixels, back]);
  });

  it('decodes a JPEG (a flat colour survives compression within a few levels)', async () => {
    const [w, h] = [16, 8];
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([200, 100, 50, 255], 4 * i);
    const file = jpeg.encode({ width: w, height: h, data: rgba }, 95).data;
    const img = decodeImage(new Uint8Array(file));
    expect(img.shape).toEqual([h, w, 3]);
    const px = Array.from((await img.data()).slice(0, 3));
    px.forEach((v, c) => expect(Math.abs(v - [200, 100, 50][c]!)).toBeLessThanOrEqual(3));
    img.dispose();
  });

  it('rejects other files and says which formats it reads', () => {
    expect(() => decodeImage(new Uint8Array([0x47, 0x49, 0x46, 0x38]), 'cat.gif')).toThrow(/cat\.gif: not a PNG or JPEG file \(first bytes 47 49 46 38\)/);
  });
});

describe('preprocessImageNet', () => {
  it('crops to 224×224 and normalizes each channel as (v/255 - mean) / std', async () => {
    const before = tf.memory().numTensors;
    const img = tf.fill([300, 400, 3], 128, 'int32') as tf.Tensor3D;
    const x = preprocessImageNet(img);
    expect(x.shape).toEqual([1, 224, 224, 3]);
    const v = await x.data();
    IMAGENET_MEAN.forEach((mean, c) => expect(v[c]).toBeCloseTo((128 / 255 - mean) / IMAGENET_STD[c]!, 5));
    tf.dispose([img, x]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes the centre: a left/right split image stays split in the middle of the crop', async () => {
    // 256 high, 512 wide: the shorter side is already 256; the crop is columns 144..367
    const left = tf.zeros([256, 256, 3], 'int32');
    const right = tf.fill([256, 256, 3], 255, 'int32');
    const img = tf.concat([left, right], 1) as tf.Tensor3D;
    const x = preprocessImageNet(img);
    const row = (await x.slice([0, 100, 0, 0], [1, 1, 224, 1]).data()) as Float32Array;
    const black = (0 - IMAGENET_MEAN[0]) / IMAGENET_STD[0];
    const white = (1 - IMAGENET_MEAN[0]) / IMAGENET_STD[0];
    // columns 144..255 of the image are black (crop 0..111), 256..367 white (crop 112..223)
    expect(row[0]).toBeCloseTo(black, 5);
    expect(row[111]).toBeCloseTo(black, 5);
    expect(row[112]).toBeCloseTo(white, 5);
    expect(row[223]).toBeCloseTo(white, 5);
    tf.dispose([left, right, img, x]);
  });
});
