// The loop of one kernel worker, as source text: each platform wraps it in its
// worker's start-up (platform/node-kernel-worker.ts: a `worker_threads` eval
// script; platform/browser-kernel-worker.ts: a Web Worker from a Blob URL) and
// calls `kernelWorkerLoop(data, ready)`. It instantiates our kernels on the
// backend's shared memory (the relaxed-SIMD build only where it loads), says
// ready, then waits on its control words for calls (spinning SPIN_MS, then
// sleeping) and runs each in place: its own first part of the call, then the
// parts no thread has taken yet, from the pool's job table ({@link JOBS}).

/** The control words of one worker (Int32 indices). */
export const WORDS = { IDLE: 0, GO: 1, DONE: 2, FAILED: 3, STATE: 0, ERROR_LENGTH: 1 } as const;
/** Int32 words of a worker's control block. */
export const CONTROL_WORDS = 2;
/**
 * The pool's job table (Int32 indices), shared by every thread: one call's
 * parts, all of one kernel. NEXT is the next part to take (Atomics.add); part
 * t < THREADS is thread t's own (0: the calling thread), the rest go to
 * whichever thread takes them. Part j's done flag is at PARTS + j·PART_WORDS,
 * its ARGC arguments after it; the argument SCRATCH (−1: none) is a per-thread
 * buffer, SCRATCH_STRIDE bytes further for each thread.
 */
export const JOBS = { NEXT: 0, COUNT: 1, KERNEL: 2, ARGC: 3, FMA: 4, SCRATCH: 5, SCRATCH_STRIDE: 6, THREADS: 7, PARTS: 8 } as const;
/** Most arguments one call takes (conv2d's 26, with room). */
export const MAX_ARGS = 32;
/** Words of one part in the job table: its done flag, then its arguments. */
export const PART_WORDS = 1 + MAX_ARGS;
/** Most parts one call is split into. */
export const MAX_PARTS = 64;
/** Bytes of a worker's error text. */
export const ERROR_BYTES = 1024;
/**
 * Milliseconds a thread spins on a control word before it sleeps in
 * `Atomics.wait`: while a model runs, split calls come back to back, and waking
 * a sleeping thread cost 0.2–0.5 ms per call on this project's VM (about 60 ms
 * of a ResNet-20 training step's 480 at 2 threads), the time a spin saves.
 */
export const SPIN_MS = 2;

/** What a kernel worker is started with (structured-cloned into it). */
export interface KernelWorkerData {
  /** The plain and relaxed-SIMD builds for a shared memory. */
  modules: Uint8Array[];
  /** The backend's memory (shared). */
  memory: WebAssembly.Memory;
  /** Its control words ({@link WORDS}). */
  control: SharedArrayBuffer;
  /** The pool's job table ({@link JOBS}). */
  jobs: SharedArrayBuffer;
  /** This worker's thread number (1, 2, …; the calling thread is 0). */
  thread: number;
  /** Its error text, {@link ERROR_BYTES} bytes. */
  error: SharedArrayBuffer;
  /** Kernel names by the id written to the job table. */
  kernels: readonly string[];
  words: typeof WORDS;
  table: typeof JOBS;
  partWords: number;
  /** {@link SPIN_MS}. */
  spinMs: number;
}

/** `function kernelWorkerLoop(data, ready)`: never returns while the worker lives. */
export const KERNEL_WORKER_LOOP = `
function kernelWorkerLoop(data, ready) {
  const { modules, memory, control, jobs: table, thread, error, kernels, words: W, table: J, partWords, spinMs } = data;
  const load = (bytes) => { try { return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports; } catch { return null; } };
  const builds = modules.map(load);
  if (builds[0] == null) throw new Error('the SIMD kernels do not load on a kernel worker');
  const ctl = new Int32Array(control);
  const jobs = new Int32Array(table);
  const text = new Uint8Array(error);
  ready();
  for (;;) {
    let s = Atomics.load(ctl, W.STATE);
    for (const end = performance.now() + spinMs; s !== W.GO && performance.now() < end; ) s = Atomics.load(ctl, W.STATE);
    for (; s !== W.GO; s = Atomics.load(ctl, W.STATE)) Atomics.wait(ctl, W.STATE, s);
    let state = W.DONE;
    try {
      const k = builds[jobs[J.FMA]] || builds[0];
      const f = k[kernels[jobs[J.KERNEL]]];
      const argc = jobs[J.ARGC];
      const scratch = jobs[J.SCRATCH];
      const count = jobs[J.COUNT];
      for (let part = thread; part < count; part = Atomics.add(jobs, J.NEXT, 1)) {
        const at = J.PARTS + part * partWords;
        const args = Array.from(jobs.subarray(at + 1, at + 1 + argc));
        if (scratch >= 0) args[scratch] += thread * jobs[J.SCRATCH_STRIDE];
        f(...args);
        Atomics.store(jobs, at, 1);
      }
    } catch (e) {
      state = W.FAILED;
      const bytes = new TextEncoder().encode(String(e)).subarray(0, text.length);
      text.set(bytes);
      ctl[W.ERROR_LENGTH] = bytes.length;
    }
    Atomics.store(ctl, W.STATE, state);
    Atomics.notify(ctl, W.STATE);
  }
}
`;
