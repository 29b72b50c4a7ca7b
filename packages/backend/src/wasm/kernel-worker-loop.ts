// The loop of one kernel worker, as source text: each platform wraps it in its
// worker's start-up (platform/node-kernel-worker.ts: a `worker_threads` eval
// script; platform/browser-kernel-worker.ts: a Web Worker from a Blob URL) and
// calls `kernelWorkerLoop(data, ready)`. It instantiates our kernels on the
// backend's shared memory (the relaxed-SIMD build only where it loads), says
// ready, then waits on its control words for calls (spinning SPIN_MS, then
// sleeping) and runs each in place.

/** The control words of one worker (Int32 indices); the arguments follow from {@link ARGS}. */
export const WORDS = { IDLE: 0, GO: 1, DONE: 2, FAILED: 3, STATE: 0, KERNEL: 1, COUNT: 2, FMA: 3, ERROR_LENGTH: 4, ARGS: 5 } as const;
/** Most arguments one call takes (conv2d's 26, with room). */
export const MAX_ARGS = 32;
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
  /** Its control words ({@link WORDS}, then up to {@link MAX_ARGS} arguments). */
  control: SharedArrayBuffer;
  /** Its error text, {@link ERROR_BYTES} bytes. */
  error: SharedArrayBuffer;
  /** Kernel names by the id written to the control words. */
  kernels: readonly string[];
  words: typeof WORDS;
  /** {@link SPIN_MS}. */
  spinMs: number;
}

/** `function kernelWorkerLoop(data, ready)`: never returns while the worker lives. */
export const KERNEL_WORKER_LOOP = `
function kernelWorkerLoop(data, ready) {
  const { modules, memory, control, error, kernels, words: W, spinMs } = data;
  const load = (bytes) => { try { return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports; } catch { return null; } };
  const builds = modules.map(load);
  if (builds[0] == null) throw new Error('the SIMD kernels do not load on a kernel worker');
  const ctl = new Int32Array(control);
  const text = new Uint8Array(error);
  ready();
  for (;;) {
    let s = Atomics.load(ctl, W.STATE);
    for (const end = performance.now() + spinMs; s !== W.GO && performance.now() < end; ) s = Atomics.load(ctl, W.STATE);
    for (; s !== W.GO; s = Atomics.load(ctl, W.STATE)) Atomics.wait(ctl, W.STATE, s);
    let state = W.DONE;
    try {
      const k = builds[ctl[W.FMA]] || builds[0];
      k[kernels[ctl[W.KERNEL]]](...Array.from(ctl.subarray(W.ARGS, W.ARGS + ctl[W.COUNT])));
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
