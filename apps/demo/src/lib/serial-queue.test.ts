import { describe, expect, it } from 'vitest';
import { serialQueue } from './serial-queue.js';

const tick = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('serialQueue', () => {
  it('runs tasks one at a time, in order', async () => {
    const log: string[] = [];
    const enqueue = serialQueue(() => {});
    const task = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await tick(ms);
      log.push(`${name} end`);
    };
    await Promise.all([enqueue(task('a', 20)), enqueue(task('b', 1)), enqueue(task('c', 5))]);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('reports a rejected task and runs the ones after it (a lost WebGL context must not end later predictions)', async () => {
    const errors: unknown[] = [];
    const ran: number[] = [];
    const enqueue = serialQueue((e) => errors.push(e));
    const lost = new Error('WebGL context lost');
    await Promise.all([
      enqueue(async () => void ran.push(1)),
      enqueue(async () => {
        throw lost;
      }),
      enqueue(async () => void ran.push(3)),
    ]);
    expect(errors).toEqual([lost]);
    expect(ran).toEqual([1, 3]);
    // The promise a caller gets never rejects, so callers need no catch of their own.
    await expect(enqueue(() => Promise.reject(new Error('again')))).resolves.toBeUndefined();
    expect(errors).toHaveLength(2);
  });

  it('keeps going when the error handler itself throws', async () => {
    const enqueue = serialQueue(() => {
      throw new Error('handler broke');
    });
    const original = console.error;
    console.error = () => {};
    try {
      await enqueue(() => Promise.reject(new Error('x')));
    } finally {
      console.error = original;
    }
    let ran = false;
    await enqueue(async () => void (ran = true));
    expect(ran).toBe(true);
  });

  it('fails a task that does not finish in time, tells it so, and runs the next (a hung WebGL read-back)', async () => {
    const errors: unknown[] = [];
    const enqueue = serialQueue((e) => errors.push(e), 30);
    let stale: boolean | null = null;
    let release: () => void = () => {};
    const hung = enqueue(async (current) => {
      await new Promise<void>((r) => (release = r));
      stale = !current();
    });
    let ran = false;
    await Promise.all([hung, enqueue(async () => void (ran = true))]);
    expect(errors.map(String)).toEqual(['Error: it did not finish within 0.03 s']);
    expect(ran).toBe(true);
    release(); // the hung task settles late: it sees that it is no longer current
    await tick(1);
    expect(stale).toBe(true);
  });
});
