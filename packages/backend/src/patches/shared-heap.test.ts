import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSharedMemory } from './shared-heap.js';

// (module (memory 2 5) (export "memory" (memory 0)) (data (i32.const 16) "hi")), written out byte by byte.
const TINY = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x05, 0x04, 0x01, 0x01, 0x02, 0x05, // memory section: 1 memory, min 2, max 5
  0x07, 0x0a, 0x01, 0x06, ...[...'memory'].map((c) => c.charCodeAt(0)), 0x02, 0x00, // export "memory" = memory 0
  0x0b, 0x08, 0x01, 0x00, 0x41, 0x10, 0x0b, 0x02, 0x68, 0x69, // data: at 16, "hi"
]);

describe('importSharedMemory', () => {
  it('turns a module\'s own memory into an imported shared one of the same limits; its data lands in the memory given', () => {
    expect(WebAssembly.Module.imports(new WebAssembly.Module(TINY))).toEqual([]);
    const shared = importSharedMemory(TINY)!;
    expect(shared).toMatchObject({ initial: 2, maximum: 5 });
    const module = new WebAssembly.Module(shared.bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 5, shared: true });
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    expect(exports.memory).toBe(memory);
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer).slice(16, 18))).toBe('hi');
    // An unshared memory no longer fits it.
    expect(() => new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 2, maximum: 5 }) } })).toThrow();
  });

  it('tfjs-backend-wasm\'s SIMD build: one import more, the memory, 256 pages to 4 GiB; everything else as it was', () => {
    const dist = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    const bytes = readFileSync(join(dist, 'tfjs-backend-wasm-simd.wasm'));
    const before = new WebAssembly.Module(bytes);
    const shared = importSharedMemory(bytes)!;
    expect(shared).toMatchObject({ initial: 256, maximum: 65536 });
    const after = new WebAssembly.Module(shared.bytes);
    expect(WebAssembly.Module.imports(after)).toEqual([...WebAssembly.Module.imports(before), { module: 'env', name: 'memory', kind: 'memory' }]);
    expect(WebAssembly.Module.exports(after)).toEqual(WebAssembly.Module.exports(before));
    // The import entry (4 + 7 bytes of names, kind, flags, 256 and 65536 as LEB128: 18) less the memory section (9 bytes).
    expect(shared.bytes.length - bytes.length).toBe(18 - 9);
  });

  it('leaves alone what is not a module with one memory of its own, and refuses what is not WebAssembly', () => {
    const shared = importSharedMemory(TINY)!;
    expect(importSharedMemory(shared.bytes)).toBeNull(); // imported already
    expect(importSharedMemory(Uint8Array.from(TINY.subarray(0, 8)))).toBeNull(); // no memory
    expect(() => importSharedMemory(new TextEncoder().encode('not wasm at all'))).toThrow(/not a WebAssembly module/);
    expect(() => importSharedMemory(TINY.subarray(0, 12))).toThrow(/runs past the end/);
  });
});
