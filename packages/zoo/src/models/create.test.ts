import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { FetchInit, FetchLike } from '../net/fetch.js';
import { getPretrained } from '../pretrained/table.js';
import { exportWeights } from '../weights/state-dict.js';
import { createModel } from './create.js';
import { registerPretrained } from './pretrained.js';

/** A promise settled from outside. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks and timers of 0 ms run. */
const settle = () => new Promise((r) => setTimeout(r, 5));

describe("createModel(tag, { backendReady }): the weights' read overlaps the backend's start", () => {
  const src = createModel('resnet8');
  const bytes = exportWeights(src, { to: 'torchvision' });
  registerPretrained('resnet8.ready_test', {
    ...getPretrained('resnet18.tv_in1k'),
    model: 'resnet8',
    source: { url: 'https://example.invalid/zoo/resnet8.safetensors', format: 'torchvision', sha256: createHash('sha256').update(bytes).digest('hex') },
    numClasses: 10,
    labels: undefined,
  });
  const serving: FetchLike = async () => ({ ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer });
  /** A server that never answers; records the signal it was given and whether it fired. */
  const hanging = () => {
    const seen: { init?: FetchInit; aborted: boolean } = { aborted: false };
    const fetch: FetchLike = (_url, init) => {
      seen.init = init;
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => ((seen.aborted = true), reject(init.signal!.reason)), { once: true }));
    };
    return { fetch, seen };
  };

  it('reads the weights before backendReady resolves, and builds only after it', async () => {
    const before = tf.memory().numTensors;
    const ready = deferred<void>();
    let fetched = 0;
    const fetch: FetchLike = async (url, init) => {
      fetched++;
      return serving(url, init);
    };
    const pending = createModel('resnet8.ready_test', { backendReady: ready.promise, download: { cache: false, fetch } });
    await settle();
    expect(fetched).toBe(1); // the read started at once
    expect(tf.memory().numTensors).toBe(before); // nothing built while the backend starts
    ready.resolve();
    const m = await pending;
    expect([...m.getLayer('conv1').getWeights()[0]!.dataSync()]).toEqual([...src.getLayer('conv1').getWeights()[0]!.dataSync()]);
    expect([...m.getLayer('fc').getWeights()[1]!.dataSync()]).toEqual([...src.getLayer('fc').getWeights()[1]!.dataSync()]);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a backendReady that rejects stops the read and is thrown; nothing is built', async () => {
    const before = tf.memory().numTensors;
    const { fetch, seen } = hanging();
    const ready = deferred<void>();
    const pending = createModel('resnet8.ready_test', { backendReady: ready.promise, download: { cache: false, fetch } });
    await settle();
    expect(seen.init?.signal).toBeDefined();
    ready.reject(new Error("backend 'wasm' failed to start"));
    await expect(pending).rejects.toThrow("backend 'wasm' failed to start");
    expect(seen.aborted).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("a backendReady that resolves to false (tf.setBackend's failure) is an error naming it", async () => {
    const { fetch, seen } = hanging();
    await expect(createModel('resnet8.ready_test', { backendReady: Promise.resolve(false), download: { cache: false, fetch } })).rejects.toThrow(
      "weights 'resnet8.ready_test': backendReady resolved to false (the backend did not start; tf.setBackend returns false when it cannot)",
    );
    expect(seen.aborted).toBe(true);
  });

  it('a failing read fails at once, without waiting for backendReady', async () => {
    const http404: FetchLike = async () => ({ ok: false, status: 404, statusText: 'Not Found', arrayBuffer: async () => new ArrayBuffer(0) });
    const never = new Promise<void>(() => {});
    await expect(createModel('resnet8.ready_test', { backendReady: never, download: { cache: false, fetch: http404 } })).rejects.toThrow(/HTTP 404 Not Found/);
  });

  it('a bad model option fails the build and aborts the read it started', async () => {
    const before = tf.memory().numTensors;
    const { fetch, seen } = hanging();
    await expect(createModel('resnet8.ready_test', { widths: [4, 8] as unknown as [number, number, number], download: { cache: false, fetch } })).rejects.toThrow(
      'resnet8: widths must be three positive integers, got [4,8]',
    );
    expect(seen.aborted).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("the caller's own download.signal still aborts the read", async () => {
    const { fetch, seen } = hanging();
    const stop = new AbortController();
    const pending = createModel('resnet8.ready_test', { download: { cache: false, fetch, signal: stop.signal } });
    await settle();
    stop.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen.aborted).toBe(true);
  });
});
