import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../register-wasm.js';
import { enableRelaxedSimd, setSimdKernelOptions } from './simd-kernels.js';
import { fusedConvAndGrads } from '../kernel-cases.js';
import { maxRelDiff, on, values } from './test-utils.js';
import { filterGradGroup, winogradGroup } from './winograd.js';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case { x: [number, number, number, number]; f: [number, number, number, number]; pad: Pad }

// 3×3 stride-1 layers (the Winograd path): odd and tiny sizes (partial tiles),
// output channels 4 past a multiple of 8, lopsided and oversized padding.
const cases: Case[] = [
  { x: [2, 9, 7, 8], f: [3, 3, 8, 12], pad: 'same' },
  { x: [1, 6, 5, 16], f: [3, 3, 16, 8], pad: 'valid' },
  { x: [3, 8, 8, 12], f: [3, 3, 12, 16], pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { x: [1, 3, 2, 8], f: [3, 3, 8, 8], pad: [[0, 0], [3, 2], [2, 3], [0, 0]] },
  { x: [2, 7, 7, 32], f: [3, 3, 32, 20], pad: 'same' },
];

describe('Winograd F(2×2, 3×3) and F(4×4, 3×3) match the cpu backend', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    setSimdKernelOptions({ winograd: 'auto', fma: true });
    await tf.setBackend('cpu');
  });

  for (const c of cases) {
    it(`x ${c.x.join('×')}, filter ${c.f.join('×')}, pad ${JSON.stringify(c.pad)}: forward, input and filter gradient`, async () => {
      const ref = await on('cpu', () => fusedConvAndGrads({ ...c, strides: 1 }));
      setSimdKernelOptions({ winograd: 0 });
      const direct = await on('wasm', () => fusedConvAndGrads({ ...c, strides: 1 }));
      for (const m of [2, 4] as const) {
        for (const fma of [false, true]) {
          if (fma) expect(await enableRelaxedSimd()).toBe(true);
          setSimdKernelOptions({ winograd: m, fma });
          const got = await on('wasm', () => fusedConvAndGrads({ ...c, strides: 1 }));
          got.forEach((v, i) => {
            // Winograd's float32 rounding is bounded by 1e-4 of the largest value (measured: ≤ 3.5e-6 on these cases).
            expect(maxRelDiff(v, ref[i]!), `F(${m}), fma ${fma}, output ${i}`).toBeLessThan(1e-4);
          });
          // The path ran: its rounding differs from the direct kernel's somewhere.
          expect(got.some((v, i) => maxRelDiff(v, direct[i]!) > 0), `F(${m}) taken`).toBe(true);
        }
      }
    });
  }
});

describe('the Winograd filter gradient with large accumulators (ci·co ≥ 16384: larger groups)', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    setSimdKernelOptions({ winograd: 'auto' });
    await tf.setBackend('cpu');
  });

  it('64 → 256 channels, 16×16: groups of 48 tiles (F(2×2): 64 tiles, a full group and a partial one) match the cpu backend', async () => {
    expect(filterGradGroup(16, 64, 256)).toBe(48);
    expect(winogradGroup(16, 64 + 256, 256)).toBe(12); // the group the tiles alone would set
    const xs = values(16 * 16 * 64, 21);
    const dys = values(16 * 16 * 256, 22);
    const grad = () => [tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xs, [1, 16, 16, 64]), dy: tf.tensor4d(dys, [1, 16, 16, 256]) },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 64, 256] } as never) as tf.Tensor];
    const [ref] = await on('cpu', grad);
    for (const m of [2, 4] as const) {
      setSimdKernelOptions({ winograd: m });
      const [got] = await on('wasm', grad);
      expect(maxRelDiff(got!, ref!), `F(${m})`).toBeLessThan(1e-4);
    }
  });
});
