import { loadOs, loadWorkerThreads } from '#platform';
import { SIMD_SHARED_MODULE_BASE64 } from './simd-binary.js';
import { decodeBase64 } from './simd-kernels.js';

/** Kernels the helper thread can run (index = the id sent to it). */
const KERNELS = ['conv2d', 'conv2d_filter_grad'] as const;
type HelperKernel = (typeof KERNELS)[number];

// Control words shared with the helper: [state, kernel id, argument count, ...arguments].
const IDLE = 0;
const GO = 1;
const DONE = 2;
const FAILED = 3;
const MAX_ARGS = 32;

// The helper's loop, run by `new Worker(…, { eval: true })` (a CommonJS script):
// instantiate the kernels on the shared memory, then run each call it is given.
const HELPER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { bytes, memory, control, kernels } = workerData;
const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const ctl = new Int32Array(control);
parentPort.postMessage('ready');
for (;;) {
  for (let s = Atomics.load(ctl, 0); s !== ${GO}; s = Atomics.load(ctl, 0)) Atomics.wait(ctl, 0, s);
  let state = ${DONE};
  try {
    k[kernels[ctl[1]]](...Array.from(ctl.subarray(3, 3 + ctl[2])));
  } catch (e) {
    state = ${FAILED};
  }
  Atomics.store(ctl, 0, state);
  Atomics.notify(ctl, 0);
}
`;

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
  /** Starts `kernel` with `args` (pointers into {@link memory}) on the helper. */
  start(kernel: HelperKernel, args: number[]): void;
  /** Blocks until the started kernel is done; throws if it failed. */
  wait(): void;
}

let helper: SimdHelper | null = null;
const isNode = typeof process !== 'undefined' && process.versions?.node != null;
let worker: { terminate(): Promise<number> } | null = null;

/** The helper thread, when {@link startSimdHelper} has started one. */
export function simdHelper(): SimdHelper | null {
  return helper;
}

/**
 * Starts the helper thread (Node only: `worker_threads` and a main thread that
 * may block in `Atomics.wait`). Resolves to false where that is unavailable.
 * Idempotent. The thread does not keep the process alive.
 */
export async function startSimdHelper(): Promise<boolean> {
  if (helper != null) return true;
  if (!isNode || typeof SharedArrayBuffer === 'undefined') return false;
  try {
    const threads = await loadWorkerThreads();
    const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
    const control = new SharedArrayBuffer(4 * (3 + MAX_ARGS));
    const ctl = new Int32Array(control);
    const w = new threads.Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { bytes: decodeBase64(SIMD_SHARED_MODULE_BASE64), memory, control, kernels: KERNELS },
    });
    await new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`helper exited with code ${code}`)));
    });
    w.unref();
    worker = w;
    helper = {
      memory,
      f32: () => new Float32Array(memory.buffer),
      reserve(bytes) {
        const have = memory.buffer.byteLength;
        if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
      },
      start(kernel, args) {
        if (args.length > MAX_ARGS) throw new Error(`@resnet/backend: ${args.length} arguments for the helper (at most ${MAX_ARGS})`);
        ctl[1] = KERNELS.indexOf(kernel);
        ctl[2] = args.length;
        ctl.set(args, 3);
        Atomics.store(ctl, 0, GO);
        Atomics.notify(ctl, 0);
      },
      wait() {
        for (let s = Atomics.load(ctl, 0); s === GO; s = Atomics.load(ctl, 0)) Atomics.wait(ctl, 0, s);
        const state = Atomics.load(ctl, 0);
        Atomics.store(ctl, 0, IDLE);
        if (state === FAILED) throw new Error('@resnet/backend: a SIMD kernel failed on the helper thread');
      },
    };
    return true;
  } catch {
    return false;
  }
}

/** Stops the helper thread; kernels run on the calling thread alone afterwards. */
export async function stopSimdHelper(): Promise<void> {
  const w = worker;
  helper = null;
  worker = null;
  if (w != null) await w.terminate();
}

/** Cores available to this process (Node), or 1 where that cannot be told. */
export async function cpuCount(): Promise<number> {
  if (!isNode) return 1;
  try {
    const os = await loadOs();
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  } catch {
    return 1;
  }
}
