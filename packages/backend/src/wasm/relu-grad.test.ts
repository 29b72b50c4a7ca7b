import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../register-wasm.js';
import { setSimdKernelOptions } from './simd-kernels.js';
import { on, values } from './test-utils.js';

/** x with negatives, zeros, positives and NaN (an odd count: the SIMD kernel's scalar tail too), and dy·relu'(x). */
const grad = () => {
  const v = values(4 * 5 * 7, 1);
  v[3] = 0;
  v[10] = NaN;
  v[139] = NaN; // the last element: in the scalar tail
  const x = tf.tensor(v, [4, 5, 7]);
  return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), tf.tensor(values(140, 2), [4, 5, 7]))))(x)];
};

describe('the ReLU gradient in one pass equals tfjs-core\'s dy·step(x)', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
  });
  afterAll(async () => {
    setSimdKernelOptions({ enabled: true });
    await tf.setBackend('cpu');
  });

  for (const simd of [true, false]) {
    it(`wasm, SIMD kernels ${simd ? 'on' : 'off'} (NaN stays NaN, 0 at x = 0)`, async () => {
      setSimdKernelOptions({ enabled: simd });
      const [expected] = await on('cpu', grad);
      const [got] = await on('wasm', grad);
      // Equal values (−0 and +0 alike: dy·0 keeps dy's sign, a mask gives +0), NaN where tfjs has NaN.
      const mismatches = Array.from(got!).filter((v, i) => !(v === expected![i] || (Number.isNaN(v) && Number.isNaN(expected![i]!))));
      expect(mismatches).toEqual([]);
      expect(Number.isNaN(got![10])).toBe(true);
      expect(got![3]).toBe(0);
    });
  }
});
