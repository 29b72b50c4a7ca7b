import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { readFixtureJson } from '../testing/fixtures.js';
import { decodePredictions, decodePredictionsSync } from './decode.js';
import { IMAGENET_CLASSES } from './labels.js';

describe('ImageNet labels', () => {
  it('are torchvision 0.14 categories, 1000 of them', () => {
    expect(IMAGENET_CLASSES).toEqual(readFixtureJson<string[]>('imagenet_labels.json'));
    expect(IMAGENET_CLASSES.length).toBe(1000);
    expect([IMAGENET_CLASSES[0], IMAGENET_CLASSES[1], IMAGENET_CLASSES[999]]).toEqual(['tench', 'goldfish', 'toilet tissue']);
  });
});

describe('decodePredictions', () => {
  it('returns the top-K classes with softmax probabilities, reading the tensor asynchronously', async () => {
    const row = new Array(1000).fill(0);
    row[1] = Math.log(6); // exp: 6 for goldfish, 3 for tench, 1 for the other 998
    row[0] = Math.log(3);
    const logits = tf.tensor2d([row, row.map((v, i) => (i === 999 ? 10 : v))]);
    const before = tf.memory().numTensors;
    const [top, second] = await decodePredictions(logits, 3);
    expect(tf.memory().numTensors).toBe(before); // nothing made, nothing disposed
    logits.dispose();
    expect(second![0]!.label).toBe('toilet tissue');
    const sum = 6 + 3 + 998;
    expect(top!.map((p) => p.label)).toEqual(['goldfish', 'tench', 'great white shark']);
    expect(top![0]!.probability).toBeCloseTo(6 / sum, 9);
    expect(top![1]!.probability).toBeCloseTo(3 / sum, 9);
    await expect(decodePredictions([[1, 2]], 1)).rejects.toThrow(/2 classes but 1000 labels/);
    const flat = tf.zeros([3]);
    await expect(decodePredictions(flat, 1)).rejects.toThrow(/\[batch, classes\] tensor, got \[3\]/);
    flat.dispose();
    expect(decodePredictionsSync([[1, 3, 2]], 2, ['a', 'b', 'c'])[0]!.map((p) => p.label)).toEqual(['b', 'c']);
    expect(() => decodePredictionsSync([[1, 3, 2]], 0, ['a', 'b', 'c'])).toThrow(/topK must be a positive integer/);
  });
});
