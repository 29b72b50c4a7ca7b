import { describe, expect, it } from 'vitest';
import { liveHdf5Workers, runHdf5 } from './node-hdf5.js';

async function settle(cond: () => boolean, ms = 10_000): Promise<void> {
  for (const t0 = Date.now(); !cond() && Date.now() - t0 < ms; ) await new Promise((r) => setTimeout(r, 20));
}

describe('h5wasm on a worker thread', () => {
  it('runs a task on the bytes and returns its result; the caller keeps its bytes', async () => {
    const bytes = Uint8Array.of(1, 2, 3);
    const r = await runHdf5((m, b) => ({ sum: b.reduce((a, x) => a + x, 0), hasFS: typeof m.FS.writeFile === 'function' }), bytes, 5000, 'late');
    expect(r).toEqual({ sum: 6, hasFS: true });
    expect(Array.from(bytes)).toEqual([1, 2, 3]);
  });

  it("passes a task's error message on", async () => {
    await expect(
      runHdf5(() => {
        throw new Error('invalid Keras weights: boom');
      }, new Uint8Array(1), 5000, 'late'),
    ).rejects.toThrow(/^invalid Keras weights: boom$/);
  });

  it('ends a task that never returns after its limit, with the given error, and ends its worker', async () => {
    const t0 = Date.now();
    await expect(
      runHdf5(() => {
        for (;;);
      }, new Uint8Array(1), 300, 'took too long'),
    ).rejects.toThrow(/^took too long$/);
    expect(Date.now() - t0).toBeLessThan(5000);
    await settle(() => liveHdf5Workers() === 0);
    expect(liveHdf5Workers()).toBe(0);
    // the next task gets a new worker
    expect(await runHdf5((_m, b) => b.length, new Uint8Array(4), 5000, 'late')).toBe(4);
  });

  it('retires the worker after a WebAssembly trap (the library state is suspect), keeping the message', async () => {
    const mark = () => ((globalThis as Record<string, unknown>)['resnetZooMark'] = 'used');
    const read = () => (globalThis as Record<string, unknown>)['resnetZooMark'] ?? 'fresh';
    // without a trap, the next task runs on the same worker and sees its mark
    await runHdf5(mark, new Uint8Array(1), 5000, 'late');
    expect(await runHdf5(read, new Uint8Array(1), 5000, 'late')).toBe('used');
    await expect(
      runHdf5(() => {
        (globalThis as Record<string, unknown>)['resnetZooMark'] = 'used';
        throw new Error('invalid Keras weights: x', { cause: new WebAssembly.RuntimeError('memory access out of bounds') });
      }, new Uint8Array(1), 5000, 'late'),
    ).rejects.toThrow(/^invalid Keras weights: x$/);
    expect(await runHdf5(read, new Uint8Array(1), 5000, 'late')).toBe('fresh');
  });

  it('runs concurrent tasks one at a time, each with its own limit, and ends the worker when idle', async () => {
    const slow = runHdf5(() => {
      const t = Date.now();
      while (Date.now() - t < 400);
      return 'slow';
    }, new Uint8Array(1), 2000, 'late');
    const quick = runHdf5(() => 'quick', new Uint8Array(1), 200, 'quick was late');
    expect(await Promise.all([slow, quick])).toEqual(['slow', 'quick']);
    expect(liveHdf5Workers()).toBe(1);
    await settle(() => liveHdf5Workers() === 0);
    expect(liveHdf5Workers()).toBe(0);
  });
});
