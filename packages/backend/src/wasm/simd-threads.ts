import { SIMD_SHARED_MODULE_BASE64, SIMD_SHARED_RELAXED_MODULE_BASE64 } from './simd-binary.js';
import { decodeBase64, type SimdKernels } from './simd-kernels.js';
import { KERNEL_NAMES, KERNEL_PARAMS, positional, type KernelCall } from './kernel-abi.js';
import { CONTROL_WORDS, ERROR_BYTES, JOBS, KERNEL_WORKER_LOOP, MAX_ARGS, MAX_PARTS, PART_WORDS, SPIN_MS, WORDS, type KernelWorkerData } from './kernel-worker-loop.js';
import type { KernelWorker } from '../platform/types.js';
import { platform } from '#platform';

// Our kernels on several threads, without copies: tfjs' memory is shared (its
// threaded build in a cross-origin isolated page; in Node, the memory
// patches/shared-heap.ts gives it), so each worker instantiates the kernels on
// that very memory and computes its share of a call on tfjs' tensors in place.
// A call comes in parts, more than the threads: each thread runs its own first
// part, then takes the next part no thread has taken (an atomic counter), so a
// thread the machine delays (the VM, a garbage collector) is not waited for.
//
// How the calling thread waits: it spins on `Atomics.load` for SPIN_MS, then,
// where it may block (Node, a Web Worker), sleeps in `Atomics.wait`; a page's
// main thread, which must not block, spins on. It runs parts until none is left
// first, so the spin lasts only as long as a worker's last part outlasts its
// own — the choice Emscripten's pthreads make on a main thread
// too. Workers spin SPIN_MS after each call before they sleep, so that the
// next call of a running model finds them awake. A worker that has not
// finished in time is given up: the pool stops, and the calling thread computes
// the parts not done, so a dead or stuck worker never hangs a page or process.

/** Most threads (the calling one included) our kernels use. */
export const MAX_WASM_THREADS = 16;

/** The threads our kernels run on, bound to one memory. */
export interface SimdPool {
  /** The memory the workers compute on (the wasm backend's). */
  readonly memory: WebAssembly.Memory;
  /** Threads, the calling one included. */
  readonly threads: number;
}

interface Slot { worker: KernelWorker; ctl: Int32Array; text: Uint8Array; busy: boolean }
interface Pool extends SimdPool { slots: Slot[]; jobs: Int32Array }

let pool: Pool | null = null;
let starting: { memory: WebAssembly.Memory; threads: number; done: Promise<boolean> } | null = null;
let generation = 0;
let waitLimitMs = 2000;
let warned = '';
const shares: Record<string, number> = {};

/** Whether this thread may block in `Atomics.wait` (not a page's main thread). */
const canBlock = ((): boolean => {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();

/** The pool computing on `memory`, when one is running for it. */
export function simdPool(memory: WebAssembly.Memory | null): SimdPool | null {
  return pool != null && pool.memory === memory ? pool : null;
}

/**
 * How many shares of each kernel's calls the pool's workers have run since the
 * process (or page) started, by kernel name (a worker's share of a call: its
 * own first part and any it took after; one count per worker and call): with {@link simdKernelCalls}
 * (the calling thread's), to check that the work was split.
 *
 * @example
 * ```ts
 * await selectBackend('wasm'); // 2 threads on a 2-core machine
 * const before = simdPoolShares().conv2d ?? 0;
 * tf.conv2d(tf.ones([8, 32, 32, 16]) as tf.Tensor4D, tf.ones([3, 3, 16, 32]) as tf.Tensor4D, 2, 'same').dispose();
 * console.log((simdPoolShares().conv2d ?? 0) - before); // 1: the worker computed one share
 * ```
 */
export function simdPoolShares(): Readonly<Record<string, number>> {
  return { ...shares };
}

/**
 * Sets the least time a share may take on a worker before the calling thread
 * gives the pool up (default 2,000 ms, or 20× its own share's time when
 * longer); returns the previous value. For tests.
 */
export function setPoolWaitLimit(ms: number): number {
  const previous = waitLimitMs;
  waitLimitMs = ms;
  return previous;
}

/** Stops the pool (once) and says why. */
function retire(p: Pool, why: string): void {
  if (pool !== p) return;
  pool = null;
  for (const s of p.slots) s.worker.terminate();
  if (warned !== why) {
    warned = why;
    console.warn(`@resnet/backend: ${why}; our SIMD kernels continue on the calling thread alone (selectBackend('wasm') starts new workers)`);
  }
}

/**
 * Starts `threads - 1` workers that run our kernels on `memory` (which must be
 * shared), replacing a pool running before. Resolves to false where this host
 * has no workers that can share it (a page without cross-origin isolation) or
 * for 1 thread; rejects with a worker's own error when one fails to start.
 */
export function startSimdPool(memory: WebAssembly.Memory, threads: number): Promise<boolean> {
  if (pool?.memory === memory && pool.threads === threads) return Promise.resolve(true);
  if (starting?.memory === memory && starting.threads === threads) return starting.done;
  const mine = ++generation;
  const before = starting?.done;
  const done = (async () => {
    await before?.catch(() => false); // the start this one replaces has ended (and found itself replaced)
    terminate();
    if (threads < 2 || typeof SharedArrayBuffer === 'undefined' || !(memory.buffer instanceof SharedArrayBuffer)) return false;
    return launch(memory, threads, mine);
  })().finally(() => {
    if (starting?.done === done) starting = null;
  });
  starting = { memory, threads, done };
  return done;
}

/** Stops the running pool's workers. */
function terminate(): void {
  const p = pool;
  pool = null;
  for (const s of p?.slots ?? []) s.worker.terminate();
}

async function launch(memory: WebAssembly.Memory, threads: number, mine: number): Promise<boolean> {
  const modules = [SIMD_SHARED_MODULE_BASE64, SIMD_SHARED_RELAXED_MODULE_BASE64].map(decodeBase64);
  const slots: Slot[] = [];
  const jobs = new SharedArrayBuffer(4 * (JOBS.PARTS + MAX_PARTS * PART_WORDS));
  try {
    for (let i = 1; i < threads; i++) {
      const control = new SharedArrayBuffer(4 * CONTROL_WORDS);
      const error = new SharedArrayBuffer(ERROR_BYTES);
      const data: KernelWorkerData = {
        modules, memory, control, jobs, thread: i, error, kernels: KERNEL_NAMES, words: WORDS, table: JOBS, partWords: PART_WORDS, spinMs: SPIN_MS,
      };
      const worker = await platform.startKernelWorker(KERNEL_WORKER_LOOP, data);
      if (worker == null) return false;
      slots.push({ worker, ctl: new Int32Array(control), text: new Uint8Array(error), busy: false });
    }
    await Promise.all(slots.map((s) => s.worker.ready));
  } catch (err) {
    for (const s of slots) s.worker.terminate();
    throw err;
  }
  if (mine !== generation) {
    for (const s of slots) s.worker.terminate();
    return false;
  }
  const p: Pool = { memory, threads, slots, jobs: new Int32Array(jobs) };
  for (const s of slots) s.worker.onExit((why) => retire(p, why));
  pool = p;
  return true;
}

/** Stops the pool (after a start under way); our kernels run on the calling thread alone afterwards. */
export async function stopSimdPool(): Promise<void> {
  generation++;
  if (starting != null) await starting.done.catch(() => false);
  terminate();
}

/**
 * Waits for a slot's call until `deadline`; returns its state (GO when it did
 * not finish in time). Spins the first {@link SPIN_MS} (every part has been
 * taken by then, so the worker's last one usually ends within it), then sleeps
 * where this thread may.
 */
function waitFor(s: Slot, deadline: number): number {
  const sleepFrom = performance.now() + SPIN_MS;
  for (let state = Atomics.load(s.ctl, WORDS.STATE); ; state = Atomics.load(s.ctl, WORDS.STATE)) {
    if (state !== WORDS.GO) return state;
    const now = performance.now();
    if (now >= deadline) return WORDS.GO;
    if (canBlock && now >= sleepFrom) Atomics.wait(s.ctl, WORDS.STATE, state, Math.min(deadline - now, 100));
  }
}

/**
 * Runs the parts of one kernel's call (disjoint parts of its output, any number)
 * on this thread and the pool's workers for `simd`'s memory, and returns when
 * all are done: thread t runs part t first, then each thread takes the next
 * part none has taken. A part's `scratch` argument, where the kernel has one and
 * `scratchStride` is given, is thread 0's buffer; thread t's is t·scratchStride
 * bytes further. The parts of a worker given up run here. Throws the first
 * error of any part, after all threads have stopped (none is still writing when
 * this returns or throws).
 */
export function runShares(simd: SimdKernels, calls: readonly KernelCall[], scratchStride = 0): void {
  const p = pool;
  const kernel = calls[0]!.kernel;
  const args = calls.map(positional);
  const free = p != null && !p.slots.some((s) => s.busy) && calls.length <= MAX_PARTS && args[0]!.length <= MAX_ARGS;
  const workers = free ? p.slots.slice(0, calls.length - 1) : [];
  if (workers.length === 0) {
    for (const call of calls) simd.run(call);
    return;
  }
  const jobs = p!.jobs;
  const threads = workers.length + 1;
  jobs[JOBS.NEXT] = threads;
  jobs[JOBS.COUNT] = calls.length;
  jobs[JOBS.KERNEL] = KERNEL_NAMES.indexOf(kernel);
  jobs[JOBS.ARGC] = args[0]!.length;
  jobs[JOBS.FMA] = simd.fma ? 1 : 0;
  jobs[JOBS.SCRATCH] = scratchStride > 0 ? (KERNEL_PARAMS[kernel] as readonly string[]).indexOf('scratch') : -1;
  jobs[JOBS.SCRATCH_STRIDE] = scratchStride;
  jobs[JOBS.THREADS] = threads;
  const done = (part: number) => JOBS.PARTS + part * PART_WORDS;
  args.forEach((a, part) => {
    jobs[done(part)] = 0;
    jobs.set(a, done(part) + 1);
  });
  for (const s of workers) {
    s.busy = true;
    Atomics.store(s.ctl, WORDS.STATE, WORDS.GO);
    Atomics.notify(s.ctl, WORDS.STATE);
  }
  const t0 = performance.now();
  let error: unknown = null;
  try {
    for (let part = 0; part < calls.length; part = Atomics.add(jobs, JOBS.NEXT, 1)) {
      simd.run(calls[part]!);
      Atomics.store(jobs, done(part), 1);
    }
  } catch (err) {
    error = err;
  }
  const deadline = performance.now() + Math.max(waitLimitMs, 20 * (performance.now() - t0));
  let givenUp = false;
  for (const s of workers) {
    const state = waitFor(s, deadline);
    s.busy = false;
    if (state === WORDS.GO) {
      retire(p!, `a kernel worker did not finish a share of ${kernel} within ${Math.round(Math.max(waitLimitMs, deadline - t0))} ms (dead or stuck)`);
      givenUp = true;
      continue;
    }
    Atomics.store(s.ctl, WORDS.STATE, WORDS.IDLE);
    if (state === WORDS.FAILED) {
      error ??= new Error(`@resnet/backend: a SIMD kernel failed on a kernel worker: ${new TextDecoder().decode(s.text.slice(0, s.ctl[WORDS.ERROR_LENGTH]))}`);
    } else {
      shares[kernel] = (shares[kernel] ?? 0) + 1;
    }
  }
  if (error != null) throw error;
  // Every part has been taken (this thread's loop ended on the counter), so no worker starts another.
  if (givenUp) calls.forEach((call, part) => Atomics.load(jobs, done(part)) === 0 && simd.run(call));
}

/** Logical cores this host has: the default thread count of our kernels. */
export const cpuCount = (): number => Math.min(MAX_WASM_THREADS, platform.cpuCount());
