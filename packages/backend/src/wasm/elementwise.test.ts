import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { simdPoolShares } from './simd-threads.js';
import { on, useSimdPool, values } from './test-utils.js';

const N = 1 << 19; // large enough to be split over the workers
const shares = (k: string) => simdPoolShares()[k] ?? 0;

describe('large element-wise ops split over the kernel workers, bit for bit as cpu', () => {
  useSimdPool(2);

  const a = values(N + 3, 1); // not a multiple of 4: the scalar tail too
  const b = values(N + 3, 2);
  // NaN, ±0, ±Infinity among the values.
  a.set([Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1e-45], 0);
  const ops: Array<[string, () => tf.Tensor[]]> = [
    ['add', () => [tf.add(tf.tensor1d(a), tf.tensor1d(b))]],
    ['sub', () => [tf.sub(tf.tensor1d(a), tf.tensor1d(b))]],
    ['mul', () => [tf.mul(tf.tensor1d(a), tf.tensor1d(b))]],
    ['mul by a scalar', () => [tf.mul(tf.tensor1d(a), tf.scalar(-0.37))]],
    ['sub a scalar', () => [tf.sub(tf.tensor1d(a), tf.scalar(2.5))]],
    ['add, 4-D', () => [tf.add(tf.tensor4d(a.subarray(0, N), [8, 64, 32, 32]), tf.tensor4d(b.subarray(0, N), [8, 64, 32, 32]))]],
  ];
  for (const [name, op] of ops) {
    it(`${name}: one share on the worker, the same bits as cpu`, async () => {
      const ref = await on('cpu', op);
      const before = shares('binary_op');
      const got = await on('wasm', op);
      expect(shares('binary_op') - before).toBe(1);
      expect(Array.from(new Uint32Array(got[0]!.buffer))).toEqual(Array.from(new Uint32Array(ref[0]!.buffer)));
    });
  }

  it('relu: NaN stays NaN, −0 gives +0, as on cpu; one share on the worker', async () => {
    const op = () => [tf.relu(tf.tensor1d(a))];
    const ref = await on('cpu', op);
    const before = shares('relu');
    const got = await on('wasm', op);
    expect(shares('relu') - before).toBe(1);
    expect(Number.isNaN(got[0]![0]!) && Number.isNaN(ref[0]![0]!)).toBe(true); // (NaN payloads differ between engines)
    expect(Object.is(got[0]![1], 0) && Object.is(ref[0]![1], 0)).toBe(true);
    expect(Array.from(new Uint32Array(got[0]!.buffer, 4))).toEqual(Array.from(new Uint32Array(ref[0]!.buffer, 4)));
  });

  it('small, broadcast or int32 ops stay with the stock kernel, and are right', async () => {
    const small = () => [tf.add(tf.tensor1d(a.subarray(0, 1000)), tf.tensor1d(b.subarray(0, 1000)))];
    const broadcast = () => [tf.add(tf.tensor2d(a.subarray(0, N), [N / 64, 64]), tf.tensor1d(b.subarray(0, 64)))];
    const ints = () => [tf.mul(tf.ones([N], 'int32'), tf.scalar(3, 'int32'))];
    for (const op of [small, broadcast, ints]) {
      const ref = await on('cpu', op);
      const before = shares('binary_op');
      const got = await on('wasm', op);
      expect(shares('binary_op')).toBe(before);
      expect(Array.from(got[0]!)).toEqual(Array.from(ref[0]!));
    }
  });

  it('leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    tf.dispose(tf.tidy(() => tf.relu(tf.add(tf.ones([N]), tf.ones([N])))));
    expect(tf.memory().numTensors).toBe(before);
  });
});
