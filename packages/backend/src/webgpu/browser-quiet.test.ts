/**
 * In a browser without a GPU to use (headless Chromium: WebGL on SwiftShader,
 * WebGPU with no adapter), `selectBackend('auto')` passes over WebGPU without
 * asking it for an adapter, so Chromium's "No available adapters." never
 * reaches the console; asked for by name, WebGPU is probed (and the message,
 * Chromium's own, shows: the control that the test can see it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPages, type TestPages } from '../browser-page.js';

const PAGE = `
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as webgpuModule from '@tensorflow/tfjs-backend-webgpu';
import { selectBackend } from './index.js';

window.select = async (name) => {
  setWasmPaths(new URL('/', location.href).href);
  try {
    const info = await selectBackend(name, { candidates: ['webgpu', 'wasm'], webgpuModule });
    return { name: info.name, fallbacks: info.fallbacks };
  } catch (e) {
    return { error: String(e && e.message || e) };
  }
};
`;

interface Outcome { name?: string; fallbacks?: Array<{ backend: string; reason: string }>; error?: string }
const NO_ADAPTERS = /No available adapters/;

describe('WebGPU is probed in a browser only when it can be used or is asked for (issue 28)', () => {
  let pages: TestPages;
  beforeAll(async () => {
    pages = await testPages(PAGE);
  });
  afterAll(async () => {
    await pages?.close();
  });

  async function select(name: string): Promise<{ outcome: Outcome; console: string[] }> {
    const { page, console, errors } = await pages.open(false, 'select');
    try {
      const outcome = await page.evaluate((n) => (window as unknown as { select(n: string): Promise<Outcome> }).select(n), name) as Outcome;
      await page.waitForTimeout(200); // console messages arrive asynchronously
      expect(errors).toEqual([]);
      return { outcome, console };
    } finally {
      await page.close();
    }
  }

  it("'auto' with WebGL on a software renderer: WebGPU refused without a probe, nothing in the console", async () => {
    const { outcome, console } = await select('auto');
    expect(outcome.name).toBe('wasm');
    expect(outcome.fallbacks?.find((f) => f.backend === 'webgpu')?.reason).toMatch(/WebGL renders in software here .*not asked for an adapter/);
    expect(console.filter((m) => NO_ADAPTERS.test(m))).toEqual([]);
  });

  it("'webgpu' by name: asked for an adapter (Chromium's own message shows), a clear error", async () => {
    const { outcome, console } = await select('webgpu');
    expect(outcome.error).toMatch(/WebGPU found no adapter/);
    expect(console.some((m) => NO_ADAPTERS.test(m))).toBe(true);
  });
});
