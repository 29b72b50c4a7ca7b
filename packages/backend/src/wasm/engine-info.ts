import type { WasmBackendLike } from './kernel-utils.js';
import { backendMemory, simdKernels } from './simd-kernels.js';
import { simdPool } from './simd-threads.js';

/** On the wasm backend: what computes, and on how many threads (`BackendInfo.wasm`). */
export interface WasmEngineInfo {
  /**
   * Our SIMD kernels run the convolutions, their gradients and BatchNorm. False:
   * XNNPACK and tfjs' own kernels do (our kernels switched off, no WebAssembly
   * SIMD, or the backend's memory not found).
   */
  simdKernels: boolean;
  /** Threads our kernels use (the calling one and its kernel workers); 0 when they do not run. */
  simdKernelThreads: number;
  /** Whether our kernels run their relaxed-SIMD (fused multiply-add) build. */
  fma: boolean;
  /** Threads of XNNPACK (tfjs' own kernels): more than 1 only in tfjs' threaded build (a cross-origin isolated page). */
  xnnpackThreads: number;
  /** Whether the backend's memory is shared (tfjs' threaded build; in Node, the memory we give tfjs): our kernel workers then compute on it in place. */
  sharedMemory: boolean;
}

interface TfjsWasmModule {
  wasm?: { tfjs?: { getThreadsCount?: () => number } };
}

/** What runs on `backend` now: our kernels bound to its memory or not, and each engine's threads. */
export function wasmEngineInfo(backend: WasmBackendLike): WasmEngineInfo {
  const kernels = simdKernels(backend);
  const memory = backendMemory(backend);
  let xnnpackThreads = 1;
  try {
    xnnpackThreads = (backend as TfjsWasmModule).wasm?.tfjs?.getThreadsCount?.() ?? 1;
  } catch {
    xnnpackThreads = 1;
  }
  return {
    simdKernels: kernels != null,
    simdKernelThreads: kernels == null ? 0 : simdPool(memory)?.threads ?? 1,
    fma: kernels?.fma ?? false,
    xnnpackThreads,
    sharedMemory: memory != null && typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer,
  };
}

/** The engines in words, for `BackendInfo.device`: e.g. 'wasm SIMD + FMA, our kernels on 2 threads, XNNPACK on 1'. */
export function describeWasmEngine(e: WasmEngineInfo, simd: boolean): string {
  const threads = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;
  const ours = e.simdKernels ? `our kernels on ${threads(e.simdKernelThreads)}` : 'our kernels off';
  return `wasm${simd ? ' SIMD' : ''}${e.fma ? ' + FMA' : ''}, ${ours}, XNNPACK on ${threads(e.xnnpackThreads)}`;
}
