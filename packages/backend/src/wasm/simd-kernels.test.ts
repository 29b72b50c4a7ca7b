import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SIMD_MODULE_BASE64, SIMD_SOURCE_SHA256 } from './simd-binary.js';
import type { SimdKernels } from './simd-kernels.js';

const SENTINEL = 0x7fc0dead; // a NaN pattern no kernel writes

describe('the SIMD kernel module', () => {
  it('was built from the current C source (else run `pnpm --filter @resnet/backend build:kernels`)', () => {
    const source = readFileSync(new URL('../../csrc/training_kernels.c', import.meta.url));
    expect(createHash('sha256').update(source).digest('hex')).toBe(SIMD_SOURCE_SHA256);
  });

  it('imports only a memory and touches nothing but the outputs it is given', () => {
    const module = new WebAssembly.Module(Buffer.from(SIMD_MODULE_BASE64, 'base64'));
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const memory = new WebAssembly.Memory({ initial: 2 });
    const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdKernels;
    const words = new Int32Array(memory.buffer);
    words.fill(SENTINEL);
    const f = new Float32Array(memory.buffer);
    // Regions (in floats): x [1,5,5,4] at 1024, dy [1,5,5,8] at 2048, dw [3,3,4,8] at 4096,
    // sums (16 doubles) at 8192, y [25,8] at 9216, coef [4·8] at 10240.
    f.fill(0.5, 1024, 1024 + 100);
    f.fill(0.25, 2048, 2048 + 200);
    f.fill(1, 10240, 10240 + 32);
    k.conv2d_filter_grad(1024 * 4, 2048 * 4, 4096 * 4, 1, 5, 5, 4, 5, 5, 8, 3, 3, 1, 1, 1, 1);
    k.channel_sums(2048 * 4, 0, 0, 25, 8, 8192 * 4);
    k.channel_sums(2048 * 4, 2048 * 4, 10240 * 4, 25, 8, 8192 * 4);
    k.channel_affine(2048 * 4, 10240 * 4, 10240 * 4, 25, 8, 9216 * 4);
    k.batch_norm_input_grad(2048 * 4, 2048 * 4, 10240 * 4, 25, 8, 9216 * 4);
    // conv2d of x by dw (as a [3,3,4,8] filter) into [1,5,5,8] at 12288, packing into 13312, zeros at 1124 (x's tail).
    f.fill(0, 1124, 1128);
    k.conv2d(1024 * 4, 4096 * 4, 0, 12288 * 4, 1124 * 4, 13312 * 4, 0, 5, 5, 5, 4, 5, 5, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1);
    const written = [[4096, 288], [8192, 32], [9216, 200], [12288, 200], [13312, 288], [1124, 4]] as const;
    const inputs = [[1024, 100], [2048, 200], [10240, 32]] as const;
    const inside = (i: number, spans: ReadonlyArray<readonly [number, number]>) => spans.some(([a, n]) => i >= a && i < a + n);
    let stray = 0;
    for (let i = 0; i < words.length; i++) {
      if (!inside(i, written) && !inside(i, inputs) && words[i] !== SENTINEL) stray++;
    }
    expect(stray).toBe(0);
    // dw at the centre tap: Σ over 25 pixels of 0.5 · 0.25; a corner tap sees 16 pixels.
    expect(f[4096 + 4 * 4 * 8]).toBeCloseTo(25 * 0.125, 6);
    expect(f[4096]).toBeCloseTo(16 * 0.125, 6);
    // Moments of dy = 0.25 everywhere: Σ = 6.25, then Σ dy·(dy − 1) = 25 · 0.25 · −0.75.
    const sums = new Float64Array(memory.buffer, 8192 * 4, 16);
    expect(sums[0]).toBeCloseTo(6.25, 10);
    expect(sums[8]).toBeCloseTo(25 * 0.25 * -0.75, 10);
    // dx = 1 · (0.25 − 1 − (0.25 − 1) · 1) = 0.
    expect(f[9216]).toBe(0);
    // conv2d at the centre pixel: all 9 taps × 4 channels of 0.5 times the (uniform per tap) filter.
    let centre = 0;
    for (let t = 0; t < 9; t++) for (let c = 0; c < 4; c++) centre += 0.5 * f[4096 + (t * 4 + c) * 8]!;
    expect(f[12288 + 12 * 8]).toBeCloseTo(centre, 4);
  });
});
