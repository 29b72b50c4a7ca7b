import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { registerWasmTrainingKernels } from '../register-wasm.js';
import { backendMemory } from './simd-kernels.js';
import type { WasmBackendLike } from './kernel-utils.js';
import { startSimdPool, stopSimdPool } from './simd-threads.js';

/** Deterministic pseudo-random values in [-1, 1) (a fixed LCG), so cpu and wasm see the same inputs. */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Runs `fn` on `backend` and returns every output as plain float arrays (tensors disposed). */
export async function on(backend: string, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(fn).map((t) => {
    const v = t.dataSync() as Float32Array;
    t.dispose();
    return Float32Array.from(v);
  });
}

/** Largest |a - b| relative to the largest |b| (1 when b is all zeros). */
export function maxRelDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1);
}

/** For the tests of a `describe` block: our training kernels registered and wasm the active backend, cpu again after them. */
export function useWasmTrainingKernels(): void {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
}

/** The wasm backend's memory (the backend must have been started). */
export function wasmMemory(): WebAssembly.Memory {
  const backend = tf.findBackend('wasm');
  const memory = backend == null ? null : backendMemory(backend as unknown as WasmBackendLike);
  if (memory == null) throw new Error('test: the wasm backend has not started, or its memory was not found');
  return memory;
}

/** For the tests of a `describe` block: our training kernels registered, wasm active, and a pool of `threads` threads started on its memory (it must start), stopped after them. */
export function useSimdPool(threads = 2): void {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    expect(await startSimdPool(wasmMemory(), threads)).toBe(true);
  });
  afterAll(async () => {
    await stopSimdPool();
    await tf.setBackend('cpu');
  });
}
