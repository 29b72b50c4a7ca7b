// The page's table of calls waiting for a compute worker's reply, each with a deadline.

/**
 * How long a worker call may take before it fails. The slowest tasks take
 * seconds; this is longer than the e2e tests give the whole page (150 s on a
 * busy 2-core machine), so only a worker that has really hung reaches it.
 */
const CALL_TIMEOUT_MS = 180_000;

/**
 * Calls sent to a worker and not yet answered. Each either settles with the
 * worker's reply or, after `timeoutMs`, fails with an error naming the task;
 * then `onTimeout` runs (the page ends the stuck worker). A reply that comes
 * after its call timed out is ignored.
 */
export class PendingCalls {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly timeoutMs = CALL_TIMEOUT_MS,
    private readonly onTimeout: (task: string) => void = () => {},
  ) {}

  /** Registers a call to `task`; returns its id (for the message) and the promise of its result. */
  add<T>(task: string): { id: number; result: Promise<T> } {
    const id = this.next++;
    const result = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.waiting.delete(id)) return;
        reject(new Error(`compute task '${task}' did not answer within ${this.timeoutMs / 1000} s`));
        this.onTimeout(task);
      }, this.timeoutMs);
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
    });
    return { id, result };
  }

  /** Settles call `id` with the worker's reply; false if it is not waiting (unknown, or timed out). */
  settle(id: number, reply: { ok: true; result: unknown } | { ok: false; error: string }): boolean {
    const w = this.waiting.get(id);
    if (!w) return false;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    if (reply.ok) w.resolve(reply.result);
    else w.reject(new Error(reply.error));
    return true;
  }

  /** Fails every waiting call with `error` (the worker died). */
  failAll(error: Error): void {
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    this.waiting.clear();
  }

  /** Calls still waiting. */
  get size(): number {
    return this.waiting.size;
  }
}
