// The CPU a bench ran on, for the first line of every run: native engines
// (PyTorch, onnxruntime-node) use the widest SIMD they find, so a figure
// without its CPU misleads.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** The SIMD feature flags a bench line names, in /proc/cpuinfo's spelling (x86, then Arm). */
export const SIMD_FLAGS = ['sse4_1', 'sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'avx512_fp16', 'avx_vnni', 'amx_tile', 'amx_int8', 'amx_bf16', 'asimd', 'asimdhp', 'asimddp', 'sve', 'sve2', 'i8mm', 'bf16'] as const;

/** What {@link cpuInfo} returns. */
export interface CpuInfo {
  /** Model name, e.g. 'Intel(R) Xeon(R) Platinum 8480+'. */
  model: string;
  /** Logical cores this process sees. */
  cores: number;
  /** The {@link SIMD_FLAGS} the CPU has; null where /proc/cpuinfo cannot be read (not Linux). */
  simd: string[] | null;
}

/** Reads the CPU model and its SIMD features (Linux: /proc/cpuinfo; elsewhere the model from `os.cpus()` only). */
export function cpuInfo(procCpuinfo = '/proc/cpuinfo'): CpuInfo {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  let text: string;
  try {
    text = readFileSync(procCpuinfo, 'utf8');
  } catch {
    return { model, cores: cpus().length, simd: null };
  }
  const first = text.split('\n\n')[0] ?? '';
  const field = (name: string) => first.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim();
  const flags = new Set((field('flags') ?? field('Features') ?? '').split(/\s+/));
  return { model: field('model name') ?? model, cores: cpus().length, simd: SIMD_FLAGS.filter((f) => flags.has(f)) };
}

/** One line: 'CPU: <model>, <n> logical cores, SIMD: avx2 fma avx512f …'. */
export function cpuLine(info: CpuInfo = cpuInfo()): string {
  const simd = info.simd == null ? 'SIMD features unknown (no /proc/cpuinfo)' : `SIMD: ${info.simd.join(' ') || 'none of ' + SIMD_FLAGS.join(' ')}`;
  return `CPU: ${info.model}, ${info.cores} logical cores, ${simd}`;
}
