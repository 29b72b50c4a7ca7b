import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kernelSourcesSha256 } from '../../scripts/kernel-sources.mjs';
import { SIMD_MODULE_BASE64, SIMD_RELAXED_MODULE_BASE64, SIMD_SHARED_MODULE_BASE64, SIMD_SHARED_RELAXED_MODULE_BASE64, SIMD_SOURCE_SHA256 } from './simd-binary.js';
import type { WasmBackendLike } from './kernel-utils.js';
import { KERNEL_PARAMS, positional, type KernelArgs, type KernelCall, type KernelName } from './kernel-abi.js';
import { decodeBase64, enableRelaxedSimd, simdKernels } from './simd-kernels.js';

/** The raw exports of an instance, called through the typed convention (no counting, no backend). */
function typed(exports: WebAssembly.Exports): { [K in KernelName]: (args: KernelArgs<K>) => void } {
  const raw = exports as Record<string, (...a: number[]) => void>;
  return Object.fromEntries((Object.keys(KERNEL_PARAMS) as KernelName[]).map((kernel) =>
    [kernel, (args: never) => raw[kernel]!(...positional({ kernel, args } as KernelCall))])) as never;
}

const SENTINEL = 0x7fc0dead; // a NaN pattern no kernel writes

/** Float regions [start, length] of the memory test. */
type Span = readonly [number, number];

describe('the SIMD kernel modules', () => {
  it('were built from the current C sources (else run `pnpm --filter @resnet/backend build:kernels`)', () => {
    expect(kernelSourcesSha256(fileURLToPath(new URL('../..', import.meta.url)))).toBe(SIMD_SOURCE_SHA256);
  });

  it('import only a memory; the relaxed-SIMD builds load once the engine allows them', async () => {
    await enableRelaxedSimd();
    for (const [b64, shared] of [[SIMD_MODULE_BASE64, false], [SIMD_RELAXED_MODULE_BASE64, false], [SIMD_SHARED_MODULE_BASE64, true], [SIMD_SHARED_RELAXED_MODULE_BASE64, true]] as const) {
      const module = new WebAssembly.Module(decodeBase64(b64));
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      const memory = new WebAssembly.Memory({ initial: 2, maximum: 16, shared });
      expect(() => new WebAssembly.Instance(module, { env: { memory } })).not.toThrow();
    }
  });

  it('bind to a shared memory too (tfjs\' threaded build in a cross-origin isolated page)', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 16, shared: true });
    const k = simdKernels({ wasm: { asm: { memory } } } as unknown as WasmBackendLike)!;
    expect(k).not.toBeNull();
    const f = new Float32Array(memory.buffer);
    f.set([-1, 2, 0, 3, -4], 0);
    f.set([5, 6, 7, 8, 9], 16);
    k.relu_grad({ x: 0, dy: 64, dx: 128, n: 5 });
    expect(Array.from(f.subarray(32, 37))).toEqual([0, 6, 0, 8, 0]);
  });

  for (const [build, b64] of [['plain SIMD128', SIMD_MODULE_BASE64], ['relaxed SIMD', SIMD_RELAXED_MODULE_BASE64]] as const) {
    it(`${build}: every kernel touches nothing but the outputs and scratch it is given (no stack, no data)`, async () => {
      await enableRelaxedSimd();
      const module = new WebAssembly.Module(decodeBase64(b64));
      const memory = new WebAssembly.Memory({ initial: 4 });
      const k = typed(new WebAssembly.Instance(module, { env: { memory } }).exports);
      const words = new Int32Array(memory.buffer);
      words.fill(SENTINEL);
      const f = new Float32Array(memory.buffer);
      // Regions (in floats): x [1,5,5,4] at 1024, dy [1,5,5,8] at 2048, dw [3,3,4,8] at 4096,
      // sums (16 doubles) at 8192, y [25,8] at 9216, coef [4·8] at 10240.
      const inputs: Span[] = [[1024, 100], [2048, 200], [10240, 32]];
      f.fill(0.5, 1024, 1024 + 100);
      f.fill(0.25, 2048, 2048 + 200);
      f.fill(1, 10240, 10240 + 32);
      const written: Span[] = [[4096, 288], [8192, 32], [9216, 200], [12288, 200], [13312, 288], [1124, 8],
        [16384, 200], [20480, 16 * (8 * 4 + 16)], [24576, 36 * 8 * 12], [32768, 288], [36864, 36 * 4 * 8 + 36 * 16 * 12]];
      f.fill(0, 1124, 1132); // zeros for the convolutions: x's tail
      const geometry = { h: 5, w: 5, ci: 4, ho: 5, wo: 5, co: 8, pt: 1, pl: 1 };
      k.conv2d_filter_grad({ x: 1024 * 4, dy: 2048 * 4, dw: 4096 * 4, n: 1, ...geometry, fh: 3, fw: 3, sh: 1, sw: 1 });
      k.channel_sums({ a: 2048 * 4, b: 0, shift: 0, m: 25, c: 8, out: 8192 * 4 });
      k.channel_sums({ a: 2048 * 4, b: 2048 * 4, shift: 10240 * 4, m: 25, c: 8, out: 8192 * 4 });
      k.channel_affine({ x: 2048 * 4, scale: 10240 * 4, offset: 10240 * 4, m: 25, c: 8, y: 9216 * 4 });
      k.batch_norm_input_grad({ x: 2048 * 4, dy: 2048 * 4, coef: 10240 * 4, m: 25, c: 8, dx: 9216 * 4 });
      // conv2d of x by dw (as a [3,3,4,8] filter) into [1,5,5,8] at 12288, packing into 13312, residual dy, ReLU.
      k.conv2d({ in: 1024 * 4, f: 4096 * 4, bias: 0, res: 2048 * 4, out: 12288 * 4, zeros: 1124 * 4, packed: 13312 * 4, row0: 0, row1: 5,
        o0: 0, o1: 8, ...geometry, fh: 3, fw: 3, sh: 1, sw: 1, dh: 1, dw: 1, relu: 1 });
      // The same by Winograd F(2×2) and F(4×4): transformed filters at 20480 / 24576, output at 16384 (twice), scratch at 36864.
      const wino = { in: 1024 * 4, f: 4096 * 4, bias: 10240 * 4, res: 0, out: 16384 * 4, zeros: 1124 * 4, scratch: 36864 * 4, r0: 0, o0: 0, o1: 8, ...geometry, G: 4, relu: 0 };
      k.winograd_conv2d({ ...wino, U: 20480 * 4, r1: 3, m: 2 });
      const winograd2 = f.slice(16384, 16384 + 200);
      k.winograd_conv2d({ ...wino, U: 24576 * 4, r1: 2, m: 4 });
      // Filter gradients by Winograd into 32768 (scratch at 36864: 36·(4·8 dU + 4 tiles·(4 + 8) + 48 padding)).
      const winoGrad = { x: 1024 * 4, dy: 2048 * 4, dw: 32768 * 4, zeros: 1124 * 4, scratch: 36864 * 4, n: 1, ...geometry, G: 4 };
      k.winograd_filter_grad({ ...winoGrad, m: 2 });
      const winogradGrad2 = f.slice(32768, 32768 + 288);
      k.winograd_filter_grad({ ...winoGrad, m: 4 });
      const inside = (i: number, spans: Span[]) => spans.some(([a, n]) => i >= a && i < a + n);
      let stray = 0;
      for (let i = 0; i < words.length; i++) {
        if (!inside(i, written) && !inside(i, inputs) && words[i] !== SENTINEL) stray++;
      }
      expect(stray).toBe(0);
      // dw at the centre tap: Σ over 25 pixels of 0.5 · 0.25; a corner tap sees 16 pixels.
      expect(f[4096 + 4 * 4 * 8]).toBeCloseTo(25 * 0.125, 6);
      expect(f[4096]).toBeCloseTo(16 * 0.125, 6);
      // Both Winograd filter gradients equal the direct one.
      for (let i = 0; i < 288; i++) {
        expect(winogradGrad2[i]).toBeCloseTo(f[4096 + i]!, 4);
        expect(f[32768 + i]).toBeCloseTo(f[4096 + i]!, 4);
      }
      // Moments of dy = 0.25 everywhere: Σ = 6.25, then Σ dy·(dy − 1) = 25 · 0.25 · −0.75.
      const sums = new Float64Array(memory.buffer, 8192 * 4, 16);
      expect(sums[0]).toBeCloseTo(6.25, 10);
      expect(sums[8]).toBeCloseTo(25 * 0.25 * -0.75, 10);
      // dx = 1 · (0.25 − 1 − (0.25 − 1) · 1) = 0.
      expect(f[9216]).toBe(0);
      // conv2d at the centre pixel: all 9 taps × 4 channels of 0.5 times the (uniform per tap) filter, plus dy's 0.25.
      let centre = 0;
      for (let t = 0; t < 9; t++) for (let c = 0; c < 4; c++) centre += 0.5 * f[4096 + (t * 4 + c) * 8]!;
      expect(f[12288 + 12 * 8]).toBeCloseTo(centre + 0.25, 4);
      // Winograd (bias 1 from coef, no residual): the direct result − 0.25 + 1 at every pixel.
      for (let i = 0; i < 200; i++) {
        expect(winograd2[i]).toBeCloseTo(f[12288 + i]! + 0.75, 2);
        expect(f[16384 + i]).toBeCloseTo(f[12288 + i]! + 0.75, 2);
      }
    });
  }
});
