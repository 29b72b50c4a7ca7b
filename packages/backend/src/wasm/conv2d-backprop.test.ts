import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { CONV_CASES as cases, convAndGrads } from '../kernel-cases.js';
import { registerWasmTrainingKernels } from '../register-wasm.js';
import { maxRelDiff, on, useWasmTrainingKernels } from './test-utils.js';

describe('wasm Conv2D, FusedConv2D and their gradients match the cpu backend', () => {
  useWasmTrainingKernels();

  for (const c of cases) {
    const label = `x ${c.x.join('x')}, filter ${c.f.join('x')}, strides ${String(c.strides)}, pad ${JSON.stringify(c.pad)}`;
    it(label, async () => {
      const [yCpu, dxCpu, dwCpu, ...fusedCpu] = await on('cpu', () => convAndGrads(c));
      const [yWasm, dxWasm, dwWasm, ...fusedWasm] = await on('wasm', () => convAndGrads(c));
      expect(maxRelDiff(yWasm!, yCpu!)).toBeLessThan(1e-5);
      // relu(conv + bias) and its gradients for x, w and bias.
      fusedWasm.forEach((v, i) => expect(maxRelDiff(v, fusedCpu[i]!), `fused output ${i}`).toBeLessThan(1e-5));
      expect(dxWasm!.length).toBe(c.x.reduce((a, b) => a * b));
      expect(dwWasm!.length).toBe(c.f.reduce((a, b) => a * b));
      expect(maxRelDiff(dxWasm!, dxCpu!)).toBeLessThan(1e-5);
      expect(maxRelDiff(dwWasm!, dwCpu!)).toBeLessThan(1e-5);
    });
  }

  it('frees every intermediate buffer inside the kernels', async () => {
    await tf.setBackend('wasm');
    const c = cases[3]!;
    tf.dispose(tf.tidy(() => convAndGrads(c))); // warm up (first calls may allocate caches)
    const before = tf.memory().numTensors;
    const ids = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    for (let i = 0; i < 3; i++) tf.dispose(tf.tidy(() => convAndGrads(c)));
    expect(tf.memory().numTensors).toBe(before);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(ids);
  });

  it('is idempotent: a second registration installs nothing', () => {
    expect(registerWasmTrainingKernels()).toEqual([]);
  });
});
