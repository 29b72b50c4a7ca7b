import * as tf from '@tensorflow/tfjs';

/** Peak resident set size of this process so far, in MB (every thread, every backend measured so far). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Bytes of the active wasm backend's heap (it grows and never shrinks), in MB; 0 on other backends. */
export function wasmHeapMb(): number {
  const memory = (tf.backend() as unknown as { wasm?: { asm?: { memory?: WebAssembly.Memory } } }).wasm?.asm?.memory;
  return memory == null ? 0 : Math.round(memory.buffer.byteLength / 2 ** 20);
}

/** One memory reading: live tensors, wasm heap, resident set (current and peak). */
export interface MemoryReading { step: number; tensors: number; wasmHeapMb: number; rssMb: number; peakRssMb: number }

/** Reads the process' memory after `step` steps. */
export function readMemory(step: number): MemoryReading {
  return { step, tensors: tf.memory().numTensors, wasmHeapMb: wasmHeapMb(), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20), peakRssMb: peakRssMb() };
}
