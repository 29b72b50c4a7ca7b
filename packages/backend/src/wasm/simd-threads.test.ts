import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { setSimdKernelOptions } from './simd-kernels.js';
import { simdHelper, startSimdHelper, stopSimdHelper } from './simd-threads.js';
import { fusedConvAndGrads } from '../kernel-cases.js';
import { maxRelDiff, on, values, useSimdHelper } from './test-utils.js';

type Shape4 = [number, number, number, number];

describe('SIMD kernels split over the helper thread', () => {
  useSimdHelper();

  // Large enough to be split (≥ 2^20 multiply-accumulates); odd batch and rows so the halves differ.
  const cases: Array<[Shape4, Shape4, number, 'same' | 'valid', number]> = [
    [[4, 24, 24, 16], [3, 3, 16, 16], 1, 'same', 4],
    [[5, 33, 32, 12], [3, 3, 12, 16], 2, 'same', 4],
    [[1, 95, 93, 8], [3, 3, 8, 16], 2, 'valid', 3], // batch 1: the rows of one image are split (not the filter gradient)
  ];
  for (const [xs, fs, strides, pad, splits] of cases) {
    it(`x ${xs.join('×')}, filter ${fs.join('×')}, stride ${strides}, ${pad}: same as cpu`, async () => {
      const ref = await on('cpu', () => fusedConvAndGrads({ x: xs, f: fs, strides, pad }));
      const helper = simdHelper()!;
      const start = helper.start;
      const started: string[] = [];
      (helper as { start: typeof start }).start = (call) => {
        started.push(call.kernel);
        start(call);
      };
      const got = await on('wasm', () => fusedConvAndGrads({ x: xs, f: fs, strides, pad }));
      (helper as { start: typeof start }).start = start;
      // forward (twice: y, then under tf.grads), input gradient and (batch > 1) filter gradient went half to the helper
      expect(started).toHaveLength(splits);
      expect(got).toHaveLength(4);
      got.forEach((v, i) => expect(maxRelDiff(v, ref[i]!), `output ${i}`).toBeLessThan(1e-5));
    });
  }

  it('a layer of few rows (7×7, batch 1) is split by output channels: same as cpu', async () => {
    const xs: Shape4 = [1, 7, 7, 64];
    const fs: Shape4 = [3, 3, 64, 64];
    const ref = await on('cpu', () => fusedConvAndGrads({ x: xs, f: fs, strides: 1, pad: 'same' }));
    setSimdKernelOptions({ winograd: 0 }); // the direct kernel: 7 output rows
    const helper = simdHelper()!;
    const start = helper.start;
    const channelRanges: number[][] = [];
    (helper as { start: typeof start }).start = (call, fma) => {
      if (call.kernel === 'conv2d') channelRanges.push([call.args.o0, call.args.o1]);
      start(call, fma);
    };
    try {
      const got = await on('wasm', () => fusedConvAndGrads({ x: xs, f: fs, strides: 1, pad: 'same' }));
      got.forEach((v, i) => expect(maxRelDiff(v, ref[i]!), `output ${i}`).toBeLessThan(1e-5));
    } finally {
      (helper as { start: typeof start }).start = start;
      setSimdKernelOptions({ winograd: 'auto' });
    }
    // forward (twice) and input gradient: the helper computed channels 32..64 of all 7 rows
    expect(channelRanges).toEqual([[32, 64], [32, 64], [32, 64]]);
  });

  it('a failure on the way to the helper frees what the kernel allocated and leaves the helper usable', async () => {
    await tf.setBackend('wasm');
    const helper = simdHelper()!;
    const reserve = helper.reserve;
    const [xs, fs, s, p] = cases[0]!;
    const x = tf.tensor4d(values(xs.reduce((a, b) => a * b), 1), xs);
    const w = tf.tensor4d(values(fs.reduce((a, b) => a * b), 2), fs);
    const dy = tf.conv2d(x, w, s, p);
    const ids = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    (helper as { reserve: typeof reserve }).reserve = () => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    };
    const attrs = { strides: s, pad: p, dataFormat: 'NHWC' };
    try {
      // Each kernel on its own (tfjs' own tape keeps tensors when a backward pass throws).
      expect(() => tf.conv2d(x, w, s, p)).toThrow(/Maximum memory size exceeded/);
      expect(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: xs }))
        .toThrow(/Maximum memory size exceeded/);
      expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: fs }))
        .toThrow(/Maximum memory size exceeded/);
    } finally {
      (helper as { reserve: typeof reserve }).reserve = reserve;
    }
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(ids);
    const y = tf.conv2d(x, w, s, p);
    expect(maxRelDiff(y.dataSync() as Float32Array, dy.dataSync() as Float32Array)).toBe(0);
    tf.dispose([x, w, dy, y]);
  });

  it('stops and restarts; kernels run on one thread in between', async () => {
    await stopSimdHelper();
    expect(simdHelper()).toBeNull();
    const [xs, fs, s, p] = cases[0]!;
    const ref = await on('cpu', () => fusedConvAndGrads({ x: xs, f: fs, strides: s, pad: p }));
    const got = await on('wasm', () => fusedConvAndGrads({ x: xs, f: fs, strides: s, pad: p }));
    got.forEach((v, i) => expect(maxRelDiff(v, ref[i]!)).toBeLessThan(1e-5));
    expect(await startSimdHelper()).toBe(true);
  });
});
