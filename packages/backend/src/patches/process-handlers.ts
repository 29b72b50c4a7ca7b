// tfjs-backend-wasm's Emscripten glue, when its module initialises in Node,
// adds process 'uncaughtException' and 'unhandledRejection' listeners that
// rethrow: from then on any uncaught error of the program exits with code 7
// and the glue's own frame and source first. Its dispose then removes every
// listener of both events, the caller's included (a `!a.indexOf(l) > -1` test
// that is always true). This wraps the 'wasm' backend factory so that the
// process's listeners are what they were before, whoever starts the backend.
import { engine, type KernelBackend } from '@tensorflow/tfjs-core';
import { recordPatch } from './applied.js';

/** What {@link keepProcessHandlers} lists in `BackendInfo.patches`. */
export const PROCESS_HANDLERS_PATCH =
  "tfjs-backend-wasm init: its process 'uncaughtException'/'unhandledRejection' listeners removed (the process's error handling stays the caller's)";

const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
type Listener = (...args: unknown[]) => void;
type Snapshot = Record<(typeof EVENTS)[number], Listener[]>;

const WRAPPED = Symbol.for('@resnet/backend.keepProcessHandlers');

interface ProcessLike {
  listeners(event: string): Listener[];
  removeListener(event: string, l: Listener): unknown;
  on(event: string, l: Listener): unknown;
}
const proc = (globalThis as { process?: Partial<ProcessLike> }).process;
const hasListeners = typeof proc?.listeners === 'function' && typeof proc.removeListener === 'function';

function snapshot(p: ProcessLike): Snapshot {
  return { uncaughtException: p.listeners('uncaughtException'), unhandledRejection: p.listeners('unhandledRejection') };
}

/** Removes the listeners added since `before`; puts back those of `before` that were removed. */
function restore(p: ProcessLike, before: Snapshot): void {
  for (const event of EVENTS) {
    const now = p.listeners(event);
    for (const l of now) if (!before[event].includes(l)) p.removeListener(event, l);
    for (const l of before[event]) if (!now.includes(l)) p.on(event, l);
  }
}

/**
 * Makes starting (and disposing) tfjs' 'wasm' backend leave the process's
 * error handling as it was: wraps the registered 'wasm' factory so that
 * whatever the Emscripten module adds to `process` while it initialises is
 * removed again, and the module's dispose cannot remove the caller's own
 * listeners. A no-op outside Node, when the wasm backend is not registered, or
 * when already done. Returns whether the factory is wrapped.
 */
export function keepProcessHandlers(): boolean {
  const registry = engine().registryFactory as Record<string, { factory: (() => KernelBackend | Promise<KernelBackend>) & { [WRAPPED]?: true } }>;
  const entry = registry.wasm;
  if (!hasListeners || entry == null) return false;
  const p = proc as ProcessLike;
  if (entry.factory[WRAPPED] !== true) {
    const original = entry.factory;
    const wrapped = async (): Promise<KernelBackend> => {
      const before = snapshot(p);
      try {
        const backend = await original();
        guardDispose(p, backend);
        return backend;
      } finally {
        restore(p, before);
      }
    };
    entry.factory = Object.assign(wrapped, { [WRAPPED]: true as const });
    // Started before this ran: its listeners are already in; they are told apart by their source.
    if ((engine().registry as Record<string, unknown>).wasm != null) removeGlueListeners(p);
  }
  recordPatch(PROCESS_HANDLERS_PATCH);
  return true;
}

// The glue's two listeners, as tfjs-backend-wasm 4.x's Emscripten output writes them.
const GLUE_SOURCE = { uncaughtException: /instanceof ExitStatus/, unhandledRejection: /^function\s*\(reason\)\s*\{\s*throw reason;?\s*\}$/ };

function removeGlueListeners(p: ProcessLike): void {
  for (const event of EVENTS) {
    for (const l of p.listeners(event)) if (GLUE_SOURCE[event].test(String(l))) p.removeListener(event, l);
  }
}

/** The module's `_dispose` removes every listener of both events: keep the caller's. */
function guardDispose(p: ProcessLike, backend: KernelBackend): void {
  const wasm = (backend as { wasm?: { _dispose?: () => void } }).wasm;
  const dispose = wasm?._dispose;
  if (wasm == null || typeof dispose !== 'function') return;
  wasm._dispose = () => {
    const before = snapshot(p);
    try {
      dispose.call(wasm);
    } finally {
      restore(p, before);
    }
  };
}
