// Imported before selectBackend gave Node a navigator.gpu: tfjs-backend-webgpu then
// registers no backend of its own, and selection must still work.
import '@tensorflow/tfjs-backend-webgpu';
import { padV2Config as stockPadV2 } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/PadV2';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../errors.js';
import { selectBackend } from '../select-backend.js';
import { classifyAdapter, isSoftwareRenderer, type AdapterLike } from './adapter.js';
import { registerWebgpuTrainingKernels } from './register.js';
import { useWebgpu } from './test-utils.js';

const adapter = (info: AdapterLike['info'], isFallbackAdapter?: boolean): AdapterLike =>
  ({ info, isFallbackAdapter, features: new Set<string>(), limits: {}, requestDevice: async () => ({}) });

/** A rank-6 pad, the kind the zero-pad shortcut's gradient takes. */
const pad6 = () => tf.pad(tf.ones([2, 3, 1, 2, 1, 3]), [[0, 0], [0, 0], [0, 1], [0, 0], [0, 1], [0, 0]]);

describe('adapters told apart', () => {
  it('a software adapter by WebGPU\'s fallback flag (new and old place) or by its name; a GPU otherwise', () => {
    expect(classifyAdapter(adapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }))).toEqual(
      { software: true, description: 'google swiftshader SwiftShader driver 5.0.0' });
    expect(classifyAdapter(adapter({ vendor: 'acme', isFallbackAdapter: true })).software).toBe(true);
    expect(classifyAdapter(adapter({ vendor: 'acme' }, true)).software).toBe(true);
    expect(classifyAdapter(adapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).software).toBe(true);
    expect(classifyAdapter(adapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060' }))).toEqual(
      { software: false, description: 'nvidia ampere NVIDIA GeForce RTX 3060' });
    expect(classifyAdapter(adapter({})).description).toBe('unnamed adapter');
  });

  it('WebGL renderer strings: SwiftShader and WARP are software, ANGLE on a GPU is not', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
  });
});

describe('selectBackend on this machine\'s WebGPU adapter', () => {
  afterAll(() => tf.setBackend('cpu'));

  it('a software adapter only when asked; \'auto\' passes over it to wasm and says why', async () => {
    const info = await useWebgpu();
    expect(info).toMatchObject({ name: 'webgpu', requested: 'webgpu' });
    if (!info.software) {
      // A real GPU (VK_ICD_FILENAMES set to its driver): no allowSoftware needed.
      await expect(selectBackend('webgpu')).resolves.toMatchObject({ name: 'webgpu', software: false });
      return;
    }
    expect(info.device).toMatch(/^CPU \(software WebGPU: .+\)$/);
    const refused = await selectBackend('webgpu').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackendUnavailableError);
    expect((refused as Error).message).toMatch(/the only WebGPU adapter here is a software one \(.+\): it computes on the CPU, slower than wasm; pass \{ allowSoftware: true \}/);
    const auto = await selectBackend('auto', { warn: () => {}, wasmThreads: 1 });
    expect(auto).toMatchObject({ name: 'wasm', software: false });
    expect(auto.fallbacks.find((f) => f.backend === 'webgpu')?.reason).toMatch(/software one/);
    const allowed = await selectBackend('auto', { warn: () => {}, allowSoftware: true });
    expect(allowed).toMatchObject({ name: 'webgpu', software: true });
  });

  it('selecting webgpu again keeps the live backend: tensors made before stay valid', async () => {
    await useWebgpu();
    const x = tf.tensor([1, 2, 3]);
    await useWebgpu();
    expect(Array.from(await x.data())).toEqual([1, 2, 3]);
    x.dispose();
  });

  it('a second import of the webgpu backend (stock kernels registered again) is repaired by the next selection', async () => {
    await useWebgpu();
    tf.unregisterKernel(stockPadV2.kernelName, 'webgpu');
    tf.registerKernel(stockPadV2);
    await useWebgpu();
    expect(tf.getKernel('PadV2', 'webgpu')!.kernelFunc).not.toBe(stockPadV2.kernelFunc);
    const y = pad6();
    expect(Array.from(await y.data()).reduce((a, b) => a + b, 0)).toBe(36);
    y.dispose();
  });

  it('a webgpu module passed in (what a bundled app does) makes the backend', async () => {
    const stock = await import('@tensorflow/tfjs-backend-webgpu');
    class Marked extends stock.WebGPUBackend {
      readonly marked = true;
    }
    tf.removeBackend('webgpu');
    const info = await selectBackend('webgpu', { allowSoftware: true, webgpuModule: { WebGPUBackend: Marked } });
    expect(info.name).toBe('webgpu');
    expect(tf.backend()).toBeInstanceOf(Marked);
    tf.removeBackend('webgpu');
    await expect(selectBackend('webgpu', { allowSoftware: true, webgpuModule: { WebGPUBackend: undefined } })).rejects.toThrow(/has no WebGPUBackend class/);
  });

  it('a backend removed and selected again starts on a new device', async () => {
    await useWebgpu();
    tf.removeBackend('webgpu');
    const info = await useWebgpu();
    expect(info.name).toBe('webgpu');
    const y = tf.add(tf.ones([64]), 1);
    expect(Array.from(await y.data()).every((v) => v === 2)).toBe(true);
    y.dispose();
  });
});

describe('GPU failures are loud', () => {
  afterAll(() => tf.setBackend('cpu'));

  it('an invalid shader (the stock rank-6 PadV2) makes the next read throw with WebGPU\'s message, not return garbage', async () => {
    await useWebgpu();
    tf.unregisterKernel(stockPadV2.kernelName, 'webgpu');
    tf.registerKernel(stockPadV2);
    try {
      const y = pad6();
      await expect(y.data()).rejects.toThrow(/WebGPU reported \d+ error\(s\); results computed since are not valid: .*WGSL/);
      y.dispose();
    } finally {
      tf.unregisterKernel(stockPadV2.kernelName, 'webgpu');
      tf.registerKernel(stockPadV2);
      registerWebgpuTrainingKernels();
    }
    const ok = pad6();
    expect(Array.from(await ok.data()).reduce((a, b) => a + b, 0)).toBe(36);
    ok.dispose();
  });

  it('dataSync() of a tensor on the GPU says to use await data() (Node has no OffscreenCanvas)', async () => {
    await useWebgpu();
    const y = tf.tidy(() => tf.add(tf.ones([2048]), 1));
    expect(() => y.dataSync()).toThrow(/dataSync\(\)\/arraySync\(\) cannot read a tensor held by the webgpu backend here .*use `await tensor.data\(\)`/);
    y.dispose();
  });
});
