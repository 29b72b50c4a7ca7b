/**
 * h5wasm on a worker thread (Node), so that a corrupt file that sends the HDF5
 * C library into an endless loop can be stopped: a task that runs past its
 * limit ends the worker, and the next task starts a new one. Starting one costs
 * about 0.3 s, so a worker serves task after task (one at a time, in order); it
 * never keeps the process alive (unref) and ends after {@link IDLE_MS} idle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Hdf5Task } from './types.js';

const IDLE_MS = 1000;

// The worker (CommonJS, `eval: true`): load h5wasm from the URL it is given,
// then run each task it is sent (the task's source text) and post back its
// result, transferring the weights' buffers, or its error message and whether
// it was a WebAssembly trap (after which the library's state is suspect).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData).then(async (m) => {
  const h5 = m.default;
  const { FS } = await h5.ready;
  const tasks = new Map();
  parentPort.on('message', ({ source, bytes }) => {
    try {
      if (!tasks.has(source)) tasks.set(source, (0, eval)('(' + source + ')'));
      const result = tasks.get(source)({ h5, FS }, bytes);
      const transfer = Array.isArray(result) ? result.flatMap((x) => (x && ArrayBuffer.isView(x.data) ? [x.data.buffer] : [])) : [];
      parentPort.postMessage({ ok: true, result }, transfer);
    } catch (e) {
      const trapped = [e, e && e.cause].some((x) => x instanceof WebAssembly.RuntimeError);
      parentPort.postMessage({ ok: false, message: String((e && e.message) || e), trapped });
    }
  });
  parentPort.postMessage({ ready: true });
});
`;

interface Reply {
  ok: boolean;
  result?: unknown;
  message?: string;
  trapped?: boolean;
}

/**
 * The file URL of h5wasm's ESM entry, found as Node would from this module. (It
 * exports only an `import` condition, so `require.resolve` cannot find it, and
 * an eval'd worker resolves bare names from the working folder, not from here.)
 */
function h5wasmUrl(): string {
  const from = dirname(fileURLToPath(import.meta.url));
  for (let dir = from; ; dir = dirname(dir)) {
    const pkgFile = join(dir, 'node_modules', 'h5wasm', 'package.json');
    if (existsSync(pkgFile)) {
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports?: { '.'?: { import?: unknown } }; module?: string; main?: string };
      const entry = pkg.exports?.['.']?.import;
      return pathToFileURL(join(dirname(pkgFile), typeof entry === 'string' ? entry : (pkg.module ?? pkg.main ?? 'index.js'))).href;
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the package 'h5wasm' (a dependency of @resnet/zoo) from ${from}; reinstall @resnet/zoo`);
  }
}

let current: Promise<Worker> | null = null;
let live = 0;
let queue: Promise<unknown> = Promise.resolve();
let idleTimer: NodeJS.Timeout | undefined;

function startWorker(): Promise<Worker> {
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: h5wasmUrl(), stderr: true });
  // HDF5 prints its error stack for every refused file; the loader's own error says what was wrong.
  w.stderr.resume();
  w.unref();
  live++;
  w.once('exit', () => live--);
  return new Promise((resolve, reject) => {
    w.once('message', () => resolve(w));
    w.once('error', (e) => reject(new Error(`the HDF5 worker failed to start: ${e.message}`)));
    w.once('exit', (code) => reject(new Error(`the HDF5 worker exited (code ${code}) before it was ready`)));
  });
}

function stopWorker(): void {
  const w = current;
  current = null;
  void w?.then((x) => x.terminate(), () => undefined);
}

function stopWhenIdle(): void {
  if (current) idleTimer = setTimeout(stopWorker, IDLE_MS).unref();
}

async function runOne<T>(task: Hdf5Task<T>, bytes: Uint8Array, limitMs: number, timeoutMessage: string): Promise<T> {
  clearTimeout(idleTimer);
  current ??= startWorker();
  let w: Worker;
  try {
    w = await current;
  } catch (e) {
    current = null;
    throw e;
  }
  const copy = bytes.slice(); // transferred: the caller's bytes stay as they are
  try {
    return await new Promise<T>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        w.off('message', onMessage).off('error', onError).off('exit', onExit);
      };
      const onMessage = (m: Reply) => {
        done();
        if (m.trapped) stopWorker(); // a trap can leave HDF5's tables half-updated: the next task gets a fresh one
        if (m.ok) resolve(m.result as T);
        else reject(new Error(m.message));
      };
      const onError = (e: Error) => {
        done();
        stopWorker();
        reject(new Error(`the HDF5 worker failed: ${e.message}`));
      };
      const onExit = (code: number) => {
        done();
        current = null;
        reject(new Error(`the HDF5 worker exited (code ${code})`));
      };
      const timer = setTimeout(() => {
        done();
        stopWorker();
        reject(new Error(timeoutMessage));
      }, limitMs);
      w.on('message', onMessage).on('error', onError).on('exit', onExit);
      w.postMessage({ source: task.toString(), bytes: copy }, [copy.buffer]);
    });
  } finally {
    stopWhenIdle();
  }
}

/** {@link ZooPlatform.runHdf5} in Node: tasks run one at a time on the worker; a task's limit starts when it starts. */
export function runHdf5<T>(task: Hdf5Task<T>, bytes: Uint8Array, limitMs: number, timeoutMessage: string): Promise<T> {
  const run = queue.then(() => runOne(task, bytes, limitMs, timeoutMessage));
  queue = run.catch(() => undefined);
  return run;
}

/** Worker threads of this module that have not exited yet (for leak tests). */
export function liveHdf5Workers(): number {
  return live;
}
