// The machine a bench ran on, in one line: native engines (PyTorch,
// onnxruntime-node) use the widest SIMD the CPU has while wasm stays at 128
// bits, so a figure without its CPU misleads.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const SIMD_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512_vnni', 'avx512_bf16', 'amx_tile', 'asimd', 'sve'];

/** 'CPU: <model>, <n> cores, SIMD <flags>, load average <1 min>' (SIMD flags from /proc/cpuinfo where there is one). */
export function cpuLine(): string {
  const list = cpus();
  let simd = 'unknown';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const flags = new Set((/^(?:flags|Features)\s*:\s*(.*)$/m.exec(info)?.[1] ?? '').split(/\s+/));
    simd = SIMD_FLAGS.filter((f) => flags.has(f)).join(' ') || 'none of ' + SIMD_FLAGS.join(', ');
  } catch {
    // not Linux: leave it unknown
  }
  return `CPU: ${list[0]?.model.trim() ?? 'unknown'}, ${list.length} cores, SIMD ${simd}, load average ${loadavg()[0]!.toFixed(1)}`;
}
