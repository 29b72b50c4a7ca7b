// tfjs-backend-wasm's unthreaded builds define their own, unshared memory, so
// that another thread cannot read a tensor without a copy. Where
// SharedArrayBuffer exists (Node, cross-origin isolated pages), this gives that
// build a shared memory instead: while the 'wasm' factory runs, the module's
// bytes are rewritten to import a shared `env.memory` of the same limits (the
// memory is still exported, so the Emscripten glue finds it where it looks),
// and our kernel workers then compute on tfjs' tensors in place. In an isolated
// page it also makes tfjs pick that build over its threaded one, whose 8
// pthread workers cost start-up time and memory while XNNPACK uses one thread.
import { engine, env, type KernelBackend } from '@tensorflow/tfjs-core';
import { recordPatch } from './applied.js';

/** What {@link shareWasmHeap} lists in `BackendInfo.patches`. */
export const SHARED_HEAP_PATCH =
  "tfjs-backend-wasm init: its unthreaded SIMD build on a shared memory of the same limits (our kernel workers read tensors in place); tfjs' WASM_HAS_MULTITHREAD_SUPPORT flag set false";

const WRAPPED = Symbol.for('@resnet/backend.shareWasmHeap');

/** Reads an unsigned LEB128 at `at`: its value and the offset after it. */
function readU32(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    if (at >= bytes.length || shift > 28) throw new Error('shareWasmHeap: a truncated or malformed LEB128 number');
    const byte = bytes[at++]!;
    value |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value >>> 0, at];
  }
}

function u32(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

const name = (s: string): number[] => [...u32(s.length), ...new TextEncoder().encode(s)];

const TYPE_SECTION = 1;
const IMPORT_SECTION = 2;
const MEMORY_SECTION = 5;
/** Page limit of a memory without a declared maximum (4 GiB, wasm32's whole address space). */
const MAX_PAGES = 65536;

/** A module rewritten to import its memory, and the shared memory to give it. */
export interface SharedHeapModule {
  bytes: Uint8Array<ArrayBuffer>;
  /** Pages at start and at most, as the module declared them (at most 65,536 when it declared none). */
  initial: number;
  maximum: number;
}

/**
 * Rewrites a WebAssembly module that defines one memory (and imports none) so
 * that it imports it as a shared `env.memory` with the same limits instead;
 * its export of the memory, data segments and code are unchanged (an imported
 * memory has the same index 0). Returns null for a module that is not of that
 * kind (no memory, several, or one imported or shared already). Throws on bytes that are
 * not a WebAssembly module.
 */
export function importSharedMemory(module: Uint8Array): SharedHeapModule | null {
  if (module.length < 8 || module[0] !== 0 || module[1] !== 0x61 || module[2] !== 0x73 || module[3] !== 0x6d) {
    throw new Error('shareWasmHeap: not a WebAssembly module (no \\0asm header)');
  }
  const sections: Array<{ id: number; start: number; body: number; end: number }> = [];
  for (let at = 8; at < module.length;) {
    const [size, body] = readU32(module, at + 1);
    if (body + size > module.length) throw new Error('shareWasmHeap: a section runs past the end of the module');
    sections.push({ id: module[at]!, start: at, body, end: body + size });
    at = body + size;
  }
  const memory = sections.find((s) => s.id === MEMORY_SECTION);
  if (memory == null) return null;
  const [count, at] = readU32(module, memory.body);
  if (count !== 1) return null;
  const flags = module[at]!;
  if (flags !== 0 && flags !== 1) return null; // shared or 64-bit already
  const [initial, next] = readU32(module, at + 1);
  const maximum = flags === 1 ? readU32(module, next)[0] : MAX_PAGES;
  const imports = sections.find((s) => s.id === IMPORT_SECTION);
  const [entries, first] = imports == null ? [0, 0] : readU32(module, imports.body);
  const entry = [...name('env'), ...name('memory'), 0x02, 0x03, ...u32(initial), ...u32(maximum)];
  const body = [...u32(entries + 1), ...(imports == null ? [] : module.subarray(first, imports.end)), ...entry];
  const section = Uint8Array.from([IMPORT_SECTION, ...u32(body.length), ...body]);
  // The import section goes where it was, else after the type section (the only one before it), else first.
  const parts: Uint8Array[] = [];
  if (imports == null && sections[0]?.id !== TYPE_SECTION) parts.push(section);
  for (const s of sections) {
    if (s.id === MEMORY_SECTION) continue;
    parts.push(s.id === IMPORT_SECTION ? section : module.subarray(s.start, s.end));
    if (imports == null && s.id === TYPE_SECTION) parts.push(section);
  }
  const bytes = new Uint8Array(8 + parts.reduce((n, p) => n + p.length, 0));
  bytes.set(module.subarray(0, 8));
  let offset = 8;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  return { bytes, initial, maximum };
}

type Factory = (() => KernelBackend | Promise<KernelBackend>) & { [WRAPPED]?: true };

/**
 * Makes the 'wasm' backend's memory shared where this host has
 * SharedArrayBuffer and tfjs picks a build with a memory of its own: wraps
 * the registered factory so that, while it runs, `WebAssembly.instantiate`
 * gives such a module the memory through {@link importSharedMemory}. A module
 * of another kind, or a host without SharedArrayBuffer, is instantiated as it
 * was. Returns whether the factory is wrapped; idempotent.
 */
export function shareWasmHeap(): boolean {
  const registry = engine().registryFactory as Record<string, { factory: Factory }>;
  const entry = registry.wasm;
  if (entry == null || typeof SharedArrayBuffer === 'undefined') return false;
  if (entry.factory[WRAPPED] !== true) {
    const original = entry.factory;
    const wrapped = async (): Promise<KernelBackend> => {
      const instantiate = WebAssembly.instantiate;
      WebAssembly.instantiate = function (this: unknown, source: unknown, imports?: WebAssembly.Imports) {
        const bytes = source instanceof WebAssembly.Module ? null
          : source instanceof ArrayBuffer ? new Uint8Array(source)
            : ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : null;
        const shared = bytes == null || imports == null ? null : importSharedMemory(bytes);
        if (shared == null) return (instantiate as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>).call(this, source, imports);
        const memory = new WebAssembly.Memory({ initial: shared.initial, maximum: shared.maximum, shared: true });
        return instantiate.call(this, shared.bytes, { ...imports, env: { ...(imports!.env ?? {}), memory } });
      } as typeof WebAssembly.instantiate;
      // Browsers compile tfjs' module from the fetch's response: the bytes are read first, then given to the instantiate above.
      const streaming = WebAssembly.instantiateStreaming;
      if (typeof streaming === 'function') {
        WebAssembly.instantiateStreaming = async (source: Response | PromiseLike<Response>, imports?: WebAssembly.Imports) =>
          WebAssembly.instantiate(new Uint8Array(await (await source).arrayBuffer()), imports);
      }
      // tfjs' threaded build (a cross-origin isolated page) starts 8 pthread workers and gives XNNPACK one of them:
      // its unthreaded build on a shared memory starts faster and lighter, and our kernel workers bring the threads.
      env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      try {
        return await original();
      } finally {
        WebAssembly.instantiate = instantiate;
        if (typeof streaming === 'function') WebAssembly.instantiateStreaming = streaming;
      }
    };
    entry.factory = Object.assign(wrapped, { [WRAPPED]: true as const });
  }
  recordPatch(SHARED_HEAP_PATCH);
  return true;
}
