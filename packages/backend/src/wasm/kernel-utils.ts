import { getKernel } from '@tensorflow/tfjs-core';
import type { DataType, NamedAttrMap, TensorInfo, backend_util } from '@tensorflow/tfjs-core';

/**
 * The parts of tfjs' `BackendWasm` our kernels use. Typed structurally so this
 * package does not depend on the wasm backend's internal class at compile time.
 */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): backend_util.TypedArray;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Inputs of a kernel call, by the names the kernel registry uses. */
export type KernelInputs = Record<string, TensorInfo>;

/**
 * Runs a kernel registered for the wasm backend directly on `TensorInfo`s, the
 * way the wasm backend's own composite kernels call each other: no tensors, no
 * engine bookkeeping. The caller owns (and must dispose) the returned info.
 */
export function runWasmKernel(
  kernelName: string,
  backend: WasmBackendLike,
  inputs: KernelInputs,
  attrs: NamedAttrMap,
): TensorInfo {
  const config = getKernel(kernelName, 'wasm');
  if (config == null) {
    throw new Error(`@resnet/backend: the wasm backend has no '${kernelName}' kernel registered; ` +
      `import '@tensorflow/tfjs-backend-wasm' before registering the training kernels`);
  }
  const out = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`@resnet/backend: kernel '${kernelName}' returned several outputs; expected one`);
  return out;
}

/** Frees intermediate results made inside a kernel. */
export function disposeAll(backend: WasmBackendLike, infos: Array<TensorInfo | undefined>): void {
  for (const info of infos) if (info != null) backend.disposeData(info.dataId);
}

/** A float32 view of a wasm tensor's memory (valid until the next wasm allocation). */
export function f32(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/**
 * A scratch buffer of `floats` floats whose address (returned as `at`, a byte
 * offset) is 64-byte aligned: tfjs' allocator aligns to 8 bytes only, and SIMD
 * loads and stores that straddle cache lines slow the kernels' hot buffers.
 */
export function alignedScratch(backend: WasmBackendLike, floats: number): { info: TensorInfo; at: number } {
  const info = backend.makeOutput([floats + 16], 'float32');
  const start = backend.typedArrayFromHeap(info).byteOffset;
  return { info, at: (start + 63) & ~63 };
}
