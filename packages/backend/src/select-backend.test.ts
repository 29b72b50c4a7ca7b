import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BackendUnavailableError } from './errors.js';
import { BACKPROP_MEMORY_PATCH } from './patches/backprop-memory.js';
import { BATCH_NORM_LAYER_PATCH } from './patches/batchnorm-layer.js';
import { CONV_LAYER_PATCH } from './patches/conv-layer.js';
import { TRAINING_GRADIENTS_PATCH } from './patches/gradients.js';
import { PROCESS_HANDLERS_PATCH } from './patches/process-handlers.js';
import { SHARED_HEAP_PATCH } from './patches/shared-heap.js';
import { selectBackend } from './select-backend.js';
import { simdKernelCalls } from './wasm/simd-kernels.js';
import { cpuCount } from './wasm/simd-threads.js';

// A stand-in for tfjs-node-gpu on a machine whose CUDA libraries are missing: the
// real package then registers its 'tensorflow' backend with isUsingGpuDevice false
// and computes on the CPU without a word (tensorflow/tfjs#8269).
vi.mock('@tensorflow/tfjs-node-gpu', async () => {
  const core = await import('@tensorflow/tfjs-core');
  const cpu = await import('@tensorflow/tfjs-backend-cpu');
  core.registerBackend('tensorflow', () => Object.assign(new cpu.MathBackendCPU(), { isUsingGpuDevice: false, isGPUPackage: true }));
  return { default: {} };
});

describe('selectBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
    if (tf.findBackend('tensorflow') != null) tf.removeBackend('tensorflow');
  });

  it('refuses a wasmThreads out of range, naming the range', async () => {
    for (const bad of [0, 17, 1.5, -1, Number.NaN, '2']) {
      await expect(selectBackend('wasm', { wasmThreads: bad as number })).rejects.toThrow(/wasmThreads must be an integer from 1 to 16 .*; got/);
    }
    await expect(selectBackend('auto', { wasmThreads: 100 })).rejects.toThrow(/from 1 to 16 .*got 100$/);
  });

  it('rejects an unknown name and lists the valid ones', async () => {
    await expect(selectBackend('gpu')).rejects.toThrow(/unknown backend 'gpu'; known: auto, tensorflow-gpu, tensorflow, webgpu, webgl, wasm, cpu/);
  });

  it('wasm: activates it and installs the training kernels', async () => {
    const info = await selectBackend('wasm');
    expect(info).toMatchObject({ name: 'wasm', requested: 'wasm', fallbacks: [] });
    expect(info.device).toMatch(/^CPU \(wasm/);
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropFilter', 'wasm')).toBeDefined();
    // Node: tfjs' plain SIMD build (XNNPACK on one thread) on a shared memory; our kernels on it, on every core.
    const threads = cpuCount();
    expect(info.wasm).toMatchObject({ simdKernels: true, simdKernelThreads: threads, xnnpackThreads: 1, sharedMemory: true });
    expect(info.device).toContain(`our kernels on ${threads} thread`);
    // tfjs-layers is not loaded in this file: its BatchNormalization and Conv2D are not there to patch.
    expect([...info.patches].sort()).toEqual([BACKPROP_MEMORY_PATCH, PROCESS_HANDLERS_PATCH, SHARED_HEAP_PATCH, TRAINING_GRADIENTS_PATCH].sort());
    expect(info.patches).not.toContain(BATCH_NORM_LAYER_PATCH);
    expect(info.patches).not.toContain(CONV_LAYER_PATCH);
    // …and they are what runs a convolution.
    const before = simdKernelCalls();
    const y = tf.conv2d(tf.ones([1, 8, 8, 4]) as tf.Tensor4D, tf.ones([1, 1, 4, 8]) as tf.Tensor4D, 1, 'same');
    expect(Array.from(await y.data()).every((v) => v === 4)).toBe(true); // each output sums 4 ones
    y.dispose();
    expect(simdKernelCalls().conv1x1 ?? 0).toBe((before.conv1x1 ?? 0) + 1); // a 1×1 convolution: the matrix-product kernel
  });

  it('cpu: activates the reference backend', async () => {
    const info = await selectBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', requested: 'cpu', fallbacks: [] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('tensorflow: a missing tfjs-node names the package and how to install it', async () => {
    const err = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as BackendUnavailableError).missing).toBe('@tensorflow/tfjs-node');
    expect((err as Error).message).toMatch(/needs the npm package @tensorflow\/tfjs-node, which is not installed; run `npm install @tensorflow\/tfjs-node`/);
  });

  it('tensorflow-gpu: a silent fall-back to the CPU is refused, loudly', async () => {
    const warnings: string[] = [];
    const err = await selectBackend('tensorflow-gpu', { warn: (m) => warnings.push(m) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/found no usable CUDA GPU and would run on the CPU/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/found no usable CUDA GPU.*tensorflow\/tfjs#8269/);
    tf.removeBackend('tensorflow');
  });

  it('webgpu: no adapter gives a clear error', async () => {
    const nav = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => null } }, configurable: true });
    try {
      await expect(selectBackend('webgpu')).rejects.toThrow(/WebGPU found no adapter/);
    } finally {
      if (nav) Object.defineProperty(globalThis, 'navigator', nav);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
  });

  it('auto: records why each faster backend was skipped and still starts one', async () => {
    const nav = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => null } }, configurable: true });
    try {
      const info = await selectBackend('auto', { warn: () => {} });
      // Here tfjs-node is absent, the (mocked) tfjs-node-gpu has no GPU and WebGPU no adapter.
      expect(info.name).toBe('wasm');
      expect(info.requested).toBe('auto');
      expect(info.fallbacks.map((f) => f.backend)).toEqual(['tensorflow-gpu', 'tensorflow', 'webgpu']);
      expect(info.reason).toMatch(/faster ones unavailable: tensorflow-gpu, tensorflow, webgpu/);
    } finally {
      if (nav) Object.defineProperty(globalThis, 'navigator', nav);
      else delete (globalThis as { navigator?: unknown }).navigator;
      if (tf.findBackend('tensorflow') != null) tf.removeBackend('tensorflow');
    }
  });
});
