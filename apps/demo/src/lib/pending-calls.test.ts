import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PendingCalls } from './pending-calls.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('PendingCalls', () => {
  it('settles a call with the reply, or rejects with the worker\'s error message', async () => {
    const calls = new PendingCalls(1000);
    const a = calls.add<number>('lesion');
    const b = calls.add<number>('norm');
    expect(a.id).not.toBe(b.id);
    expect(calls.settle(a.id, { ok: true, result: 42 })).toBe(true);
    expect(calls.settle(b.id, { ok: false, error: 'out of memory' })).toBe(true);
    await expect(a.result).resolves.toBe(42);
    await expect(b.result).rejects.toThrow('out of memory');
    expect(calls.size).toBe(0);
  });

  it('fails a call that gets no answer in time, naming the task, and reports the timeout', async () => {
    const timedOut: string[] = [];
    const calls = new PendingCalls(1000, (task) => timedOut.push(task));
    const c = calls.add('lesion');
    const settled = expect(c.result).rejects.toThrow("compute task 'lesion' did not answer within 1 s");
    vi.advanceTimersByTime(999);
    expect(calls.size).toBe(1);
    vi.advanceTimersByTime(1);
    await settled;
    expect(timedOut).toEqual(['lesion']);
    // A reply after the deadline is ignored.
    expect(calls.settle(c.id, { ok: true, result: 1 })).toBe(false);
  });

  it('an answered call does not time out later', async () => {
    const timedOut: string[] = [];
    const calls = new PendingCalls(1000, (task) => timedOut.push(task));
    const c = calls.add('norm');
    calls.settle(c.id, { ok: true, result: 'x' });
    vi.advanceTimersByTime(5000);
    await expect(c.result).resolves.toBe('x');
    expect(timedOut).toEqual([]);
  });

  it('failAll rejects every waiting call (the worker died)', async () => {
    const calls = new PendingCalls(1000);
    const all = [calls.add('a'), calls.add('b')];
    calls.failAll(new Error('compute worker failed: boom'));
    for (const c of all) await expect(c.result).rejects.toThrow('compute worker failed: boom');
    expect(calls.size).toBe(0);
  });
});
