// Runs tasks one after another and keeps going when one fails or hangs.

/** A task; `current()` turns false once it has timed out, so it must not touch the page after that. */
export type QueuedTask = (current: () => boolean) => Promise<void>;

/**
 * A queue of async tasks run one at a time, in order. A task that rejects, or
 * does not finish within `timeoutMs`, is handed to `onError` and the queue goes
 * on with the next. A plain chain (`busy = busy.then(task)`) skips every later
 * task after one rejection and waits forever on one that never settles: with a
 * lost WebGL context, tfjs's read-back never settles, so that chain ended all
 * later predictions.
 */
export function serialQueue(onError: (error: unknown) => void, timeoutMs = Infinity): (task: QueuedTask) => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  const runOne = (task: QueuedTask): Promise<void> => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          current = false;
          reject(new Error(`it did not finish within ${timeoutMs / 1000} s`));
        }, timeoutMs);
      }
    });
    return Promise.race([task(() => current), deadline]).finally(() => clearTimeout(timer));
  };
  return (task) => {
    tail = tail.then(() => runOne(task)).catch((error: unknown) => {
      try {
        onError(error);
      } catch (reportError) {
        console.error(reportError);
      }
    });
    return tail;
  };
}
