import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../register-wasm.js';
import { setSimdKernelOptions } from './simd-kernels.js';
import { MAX_KEPT_F4_FLOATS, winogradFilterFloats } from './winograd.js';
import { simdPoolShares, startSimdPool, stopSimdPool } from './simd-threads.js';
import { maxRelDiff, on, values, wasmMemory } from './test-utils.js';

const ids = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

/** x and w on the wasm backend with 2 threads, the cpu backend's result, the heap's data ids and the pool's shares so far. */
type Shape4 = [number, number, number, number];

async function splitCase(xs: Shape4, fs: Shape4) {
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  const data = values(size(fs), 2);
  const ref = (await on('cpu', () => [tf.conv2d(tf.tensor4d(values(size(xs), 1), xs), tf.tensor4d(data, fs), 1, 'same')]))[0]!;
  await tf.setBackend('wasm');
  expect(await startSimdPool(wasmMemory(), 2)).toBe(true);
  const x = tf.tensor4d(values(size(xs), 1), xs);
  const w = tf.tensor4d(data, fs);
  return { x, w, ref, before: ids(), shares: Object.values(simdPoolShares()).reduce((a, b) => a + b, 0) };
}

describe('Winograd-transformed filters are kept between calls with the same weights; packed ones are not', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await stopSimdPool();
    setSimdKernelOptions({ winograd: 'auto', filterCache: true, gemm: true });
    await tf.setBackend('cpu');
  });

  // Winograd layers large enough to be split over a kernel worker: their transformed filters are kept.
  for (const [name, winograd] of [['Winograd F(4×4) 3×3', 4], ['Winograd F(2×2) 3×3', 2]] as const) {
    it(`${name}: cached from the second call on, the same results, freed once the filter is disposed`, async () => {
      setSimdKernelOptions({ winograd, filterCache: true, gemm: true });
      const { x, w, ref, before, shares } = await splitCase([2, 16, 16, 32], [3, 3, 32, 32]);
      const outputs: Float32Array[] = [];
      for (let i = 0; i < 4; i++) outputs.push(tf.tidy(() => tf.conv2d(x, w, 1, 'same').dataSync() as Float32Array));
      outputs.forEach((o) => expect(maxRelDiff(o, ref)).toBeLessThan(1e-5));
      // Bit for bit the same with a fresh and a kept filter: repeated predictions agree exactly.
      outputs.forEach((o) => expect(maxRelDiff(o, outputs[0]!)).toBe(0));
      // One slot in tfjs' heap, shared by both threads; each call split in two.
      expect(ids()).toBe(before + 1);
      expect(Object.values(simdPoolShares()).reduce((a, b) => a + b, 0) - shares).toBe(4);
      w.dispose();
      tf.tidy(() => {
        tf.conv2d(x, tf.ones([3, 3, 32, 32]) as tf.Tensor4D, 1, 'same');
      });
      expect(ids()).toBe(before - 1); // w's slot and w itself are gone
      x.dispose();
    });
  }

  // A packed filter is a copy of the weights in another order: keeping it would hold the layer's weights twice.
  for (const [name, gemm] of [['1×1 by the matrix-product kernel', true], ['1×1 by the direct kernel', false]] as const) {
    it(`${name}: the filter is packed at every call, never kept; the same results, split over a kernel worker`, async () => {
      setSimdKernelOptions({ winograd: 'auto', filterCache: true, gemm });
      const { x, w, ref, before, shares } = await splitCase([2, 16, 16, 32], [1, 1, 32, 64]);
      const outputs: Float32Array[] = [];
      for (let i = 0; i < 4; i++) {
        outputs.push(tf.tidy(() => tf.conv2d(x, w, 1, 'same').dataSync() as Float32Array));
        expect(ids()).toBe(before);
      }
      outputs.forEach((o) => expect(maxRelDiff(o, ref)).toBeLessThan(1e-5));
      outputs.forEach((o) => expect(maxRelDiff(o, outputs[0]!)).toBe(0));
      expect(Object.values(simdPoolShares()).reduce((a, b) => a + b, 0) - shares).toBe(4);
      tf.dispose([x, w]);
    });
  }

  it('weights that change every call (training) are never kept', async () => {
    setSimdKernelOptions({ winograd: 'auto', filterCache: true });
    await stopSimdPool();
    const x = tf.randomNormal([2, 8, 8, 16]) as tf.Tensor4D;
    tf.dispose(tf.conv2d(x, tf.randomNormal([3, 3, 16, 16]) as tf.Tensor4D, 1, 'same'));
    const before = ids();
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        const w = tf.randomNormal([3, 3, 16, 16]) as tf.Tensor4D;
        tf.conv2d(x, w, 1, 'same').dataSync();
      });
    }
    expect(ids()).toBe(before);
    x.dispose();
  });

  it('an F(4×4) filter larger than MAX_KEPT_F4_FLOATS is transformed at every call, never kept', async () => {
    setSimdKernelOptions({ winograd: 4, filterCache: true });
    await stopSimdPool();
    const c = 176; // the transformed filter: 22 blocks × 36 points × (8·176 + 16) floats, just over the limit
    expect(winogradFilterFloats(4, c, c)).toBeGreaterThan(MAX_KEPT_F4_FLOATS);
    const xs = values(4 * 4 * c, 1);
    const data = values(9 * c * c, 2);
    const ref = (await on('cpu', () => [tf.conv2d(tf.tensor4d(xs, [1, 4, 4, c]), tf.tensor4d(data, [3, 3, c, c]), 1, 'same')]))[0]!;
    await tf.setBackend('wasm');
    const x = tf.tensor4d(xs, [1, 4, 4, c]);
    const w = tf.tensor4d(data, [3, 3, c, c]);
    const before = ids();
    for (let i = 0; i < 3; i++) expect(maxRelDiff(tf.tidy(() => tf.conv2d(x, w, 1, 'same').dataSync() as Float32Array), ref)).toBeLessThan(1e-5);
    expect(ids()).toBe(before);
    tf.dispose([x, w]);
  });
});
