import { SIMD_SHARED_MODULE_BASE64, SIMD_SHARED_RELAXED_MODULE_BASE64 } from './simd-binary.js';
import { decodeBase64 } from './simd-kernels.js';
import { HELPER_KERNELS, positional, type HelperCall } from './kernel-abi.js';
import { platform } from '#platform';


// Control words shared with the helper: [state, kernel id, argument count, relaxed?,
// error length, ...arguments]; the error text goes to a shared byte buffer.
const IDLE = 0;
const GO = 1;
const DONE = 2;
const FAILED = 3;
const ARGS = 5;
const MAX_ARGS = 32;
const ERROR_BYTES = 1024;

// The helper's loop is the Node platform's (platform/node-simd-helper.ts): browsers start no helper.

/**
 * A second thread that runs our SIMD kernels on a shared memory, so that one
 * kernel call can be split over two cores: the caller copies the helper's share
 * of the inputs into {@link SimdHelper.memory}, {@link SimdHelper.start}s it,
 * computes its own share meanwhile, then {@link SimdHelper.wait}s and copies
 * the results back. (tfjs' wasm memory is not shared, so the helper cannot read
 * tensors in place.)
 */
export interface SimdHelper {
  /** The helper's memory (shared). */
  readonly memory: WebAssembly.Memory;
  /** A float32 view of the whole memory (taken anew: growing replaces the buffer). */
  f32(): Float32Array;
  /** Grows the memory to at least `bytes` bytes. */
  reserve(bytes: number): void;
  /** Starts `call` (its pointers into {@link memory}) on the helper, the relaxed-SIMD build if `fma`. */
  start(call: HelperCall, fma?: boolean): void;
  /**
   * Waits for the started kernel, at most `max(limit, 20 × ownMs)` ms (`ownMs`:
   * how long the caller took for its own share). Returns true when it finished;
   * false when it did not in time: the helper is then retired (a dead or stuck
   * thread must not hang the process) and the caller computes the helper's share
   * itself. Throws the worker's own error when the kernel failed there.
   */
  wait(ownMs?: number): boolean;
}

let helper: SimdHelper | null = null;
let worker: { terminate(): Promise<number> } | null = null;
let starting: Promise<boolean> | null = null;
let waitLimitMs = 2000;
let warned = '';

/** The helper thread, when {@link startSimdHelper} has started one and it is alive. */
export function simdHelper(): SimdHelper | null {
  return helper;
}

/**
 * Sets the least time {@link SimdHelper.wait} waits before it gives the helper
 * up (default 2,000 ms); returns the previous value. For tests.
 */
export function setHelperWaitLimit(ms: number): number {
  const previous = waitLimitMs;
  waitLimitMs = ms;
  return previous;
}

/** Retires the helper (once) and says why, with the worker's own words when there are some. */
function retire(w: { terminate(): Promise<number> }, why: string): void {
  if (worker !== w) return;
  helper = null;
  worker = null;
  void w.terminate().catch(() => undefined);
  if (warned !== why) {
    warned = why;
    console.warn(`@resnet/backend: ${why}; the SIMD kernels continue on the calling thread (selectBackend('wasm') starts a new helper)`);
  }
}

/**
 * Starts the helper thread (Node only: `worker_threads` and a main thread that
 * may block in `Atomics.wait`). Resolves to false where that is unavailable;
 * rejects with the worker's own error when it fails to start. Calls made while
 * a start is under way share it (one thread, however many callers). The thread
 * does not keep the process alive; when it dies, the kernels notice (exit and
 * error events, bounded waits) and run on the calling thread.
 */
export function startSimdHelper(): Promise<boolean> {
  if (helper != null) return Promise.resolve(true);
  starting ??= launch().finally(() => {
    starting = null;
  });
  return starting;
}

async function launch(): Promise<boolean> {
  const threads = await platform.workerThreads();
  const source = platform.simdHelperSource;
  if (threads == null || source == null || typeof SharedArrayBuffer === 'undefined') return false;
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
  const control = new SharedArrayBuffer(4 * (ARGS + MAX_ARGS));
  const error = new SharedArrayBuffer(ERROR_BYTES);
  const ctl = new Int32Array(control);
  const modules = [SIMD_SHARED_MODULE_BASE64, SIMD_SHARED_RELAXED_MODULE_BASE64].map(decodeBase64);
  const w = new threads.Worker(source, {
    eval: true,
    workerData: { modules, memory, control, error, kernels: HELPER_KERNELS, words: { GO, DONE, FAILED, ARGS } },
  });
  const died = (why: string) => retire(w, why);
  await new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', (err) => {
      reject(new Error(`@resnet/backend: the helper thread failed: ${err instanceof Error ? err.message : String(err)}`));
      died(`the helper thread failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    w.once('exit', (code) => {
      reject(new Error(`@resnet/backend: the helper thread exited with code ${code} while starting`));
      died(`the helper thread exited with code ${code}`);
    });
  });
  w.unref();
  const text = new Uint8Array(error);
  worker = w;
  helper = {
    memory,
    f32: () => new Float32Array(memory.buffer),
    reserve(bytes) {
      const have = memory.buffer.byteLength;
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
    },
    start(call, fma = false) {
      const args = positional(call);
      if (args.length > MAX_ARGS) throw new Error(`@resnet/backend: ${args.length} arguments for the helper (at most ${MAX_ARGS})`);
      ctl[1] = HELPER_KERNELS.indexOf(call.kernel);
      ctl[2] = args.length;
      ctl[3] = fma ? 1 : 0;
      ctl.set(args, ARGS);
      Atomics.store(ctl, 0, GO);
      Atomics.notify(ctl, 0);
    },
    wait(ownMs = 0) {
      const deadline = performance.now() + Math.max(waitLimitMs, 20 * ownMs);
      for (let s = Atomics.load(ctl, 0); s === GO; s = Atomics.load(ctl, 0)) {
        const left = deadline - performance.now();
        if (left <= 0) {
          died(`the helper thread did not finish a kernel within ${Math.round(Math.max(waitLimitMs, 20 * ownMs))} ms (dead or stuck)`);
          return false;
        }
        Atomics.wait(ctl, 0, s, Math.min(left, 100));
      }
      const state = Atomics.load(ctl, 0);
      Atomics.store(ctl, 0, IDLE);
      if (state === FAILED) {
        const message = new TextDecoder().decode(text.slice(0, ctl[4]));
        throw new Error(`@resnet/backend: a SIMD kernel failed on the helper thread: ${message}`);
      }
      return true;
    },
  };
  return true;
}

/** Stops the helper thread (after a start under way); kernels run on the calling thread alone afterwards. */
export async function stopSimdHelper(): Promise<void> {
  if (starting != null) await starting.catch(() => false);
  const w = worker;
  helper = null;
  worker = null;
  if (w != null) await w.terminate();
}

/** Cores this process may use (Node), or 1 where our kernels run on the calling thread only. */
export const cpuCount = (): Promise<number> => platform.cpuCount();
