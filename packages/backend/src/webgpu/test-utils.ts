import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { selectBackend, type BackendInfo } from '../select-backend.js';
import { maxRelDiff } from '../wasm/test-utils.js';

/**
 * Selects webgpu on the adapter this machine has: SwiftShader where there is no
 * GPU (scripts/software-vulkan.ts points the Vulkan loader at it). No adapter
 * fails the tests that call this; it never skips them.
 */
export function useWebgpu(): Promise<BackendInfo> {
  return selectBackend('webgpu', { allowSoftware: true });
}

/**
 * Runs `fn` on `backend` and reads every output as floats, asynchronously (in
 * Node the webgpu backend cannot read synchronously).
 */
export async function run(backend: string, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(fn);
  try {
    return await Promise.all(outputs.map(async (t) => Float32Array.from(await t.data())));
  } finally {
    tf.dispose(outputs);
  }
}

/** Runs `fn` on cpu and on webgpu: same number of outputs, same sizes, equal to `tol` relative to each output's largest value. */
export async function expectSameAsCpu(fn: () => tf.Tensor[], tol = 1e-5): Promise<void> {
  const ref = await run('cpu', fn);
  const got = await run('webgpu', fn);
  expect(got.length).toBe(ref.length);
  ref.forEach((r, i) => {
    expect(got[i]!.length, `output ${i} size`).toBe(r.length);
    expect(maxRelDiff(got[i]!, r), `output ${i}`).toBeLessThan(tol);
  });
}
