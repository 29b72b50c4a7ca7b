import { getKernel } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The part of tfjs' `WebGPUBackend` our kernels use, typed structurally. */
export interface WebgpuBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * Runs a kernel registered for webgpu directly on `TensorInfo`s, as the webgpu
 * backend's own composite kernels do; the caller disposes the result.
 */
export function runWebgpuKernel(name: string, backend: WebgpuBackendLike, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
  const config = getKernel(name, 'webgpu');
  if (config == null) throw new Error(`@resnet/backend: the webgpu backend has no '${name}' kernel registered`);
  return config.kernelFunc({ inputs, backend: backend as never, attrs }) as TensorInfo;
}

/** Frees intermediate results made inside a kernel. */
export function disposeAll(backend: WebgpuBackendLike, infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
