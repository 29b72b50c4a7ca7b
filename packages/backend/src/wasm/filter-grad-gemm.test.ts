import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { setSimdKernelOptions, simdKernelCalls } from './simd-kernels.js';
import { simdPoolShares } from './simd-threads.js';
import { maxRelDiff, on, useSimdPool, values } from './test-utils.js';

type Shape4 = [number, number, number, number];

/** Conv2DBackpropFilter of a k×k convolution ('same') with x [n, h, w, ci] and `co` output channels. */
function filterGrad(x: Shape4, k: number, co: number, strides: number): () => tf.Tensor[] {
  const [n, h, w, ci] = x;
  const [ho, wo] = [Math.ceil(h / strides), Math.ceil(w / strides)];
  const xs = values(n * h * w * ci, 31);
  const dys = values(n * ho * wo * co, 32);
  return () => [tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xs, x), dy: tf.tensor4d(dys, [n, ho, wo, co]) },
    { strides, pad: 'same', dataFormat: 'NHWC', filterShape: [k, k, ci, co] } as never) as tf.Tensor];
}

describe('a filter gradient by the matrix-product kernel, on two threads', () => {
  useSimdPool(2);

  // 1×1, 1×1 strided, and a strided 3×3 reading padding (the gathered rows of its edge taps hold zeros).
  for (const [x, k, co, strides] of [[[4, 14, 14, 64], 1, 128, 1], [[2, 31, 31, 64], 1, 64, 2], [[2, 15, 16, 64], 3, 64, 2]] as Array<[Shape4, number, number, number]>) {
    it(`x ${x.join('×')}, ${k}×${k} → ${co} channels, stride ${strides}: split over the worker, equal to the cpu backend and to the direct kernel`, async () => {
      const [ref] = await on('cpu', filterGrad(x, k, co, strides));
      const calls = simdKernelCalls().conv1x1 ?? 0;
      const shares = simdPoolShares().conv1x1 ?? 0;
      const [got] = await on('wasm', filterGrad(x, k, co, strides));
      expect(simdKernelCalls().conv1x1 ?? 0).toBeGreaterThan(calls);
      expect(simdPoolShares().conv1x1 ?? 0).toBeGreaterThan(shares);
      expect(maxRelDiff(got!, ref!)).toBeLessThan(1e-5);
      setSimdKernelOptions({ gemm: false });
      try {
        const [direct] = await on('wasm', filterGrad(x, k, co, strides));
        expect(maxRelDiff(got!, direct!)).toBeLessThan(1e-5);
      } finally {
        setSimdKernelOptions({ gemm: true });
      }
    });
  }
});

describe('layers of fewer than 64 channels keep the direct filter-gradient kernel', () => {
  useSimdPool(2);

  it('ResNet-20\'s strided 16 → 32 layer', async () => {
    const calls = simdKernelCalls().conv1x1 ?? 0;
    const [ref] = await on('cpu', filterGrad([2, 16, 16, 16], 3, 32, 2));
    const [got] = await on('wasm', filterGrad([2, 16, 16, 16], 3, 32, 2));
    expect(simdKernelCalls().conv1x1 ?? 0).toBe(calls);
    expect(maxRelDiff(got!, ref!)).toBeLessThan(1e-5);
  });
});
