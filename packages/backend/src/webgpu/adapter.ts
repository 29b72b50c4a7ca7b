// Telling a real GPU from a software renderer that computes on the CPU.

/** The parts of a WebGPU `GPUAdapterInfo` we read (every field optional: browsers hide some). */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** WebGPU's own flag for a software (fallback) adapter; newer engines put it here. */
  isFallbackAdapter?: boolean;
}

/** The parts of a WebGPU `GPUAdapter` we use, typed structurally (no @webgpu/types needed). */
export interface AdapterLike {
  info?: AdapterInfoLike;
  /** Where older engines put the fallback flag. */
  isFallbackAdapter?: boolean;
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(descriptor?: object): Promise<unknown>;
}

/** The parts of `navigator.gpu` (or Dawn's equivalent) we use. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}

/** What kind of device an adapter or renderer is. */
export interface DeviceKind {
  /** True for software renderers (SwiftShader, llvmpipe, WARP, …): they compute on the CPU. */
  software: boolean;
  /** The adapter in words, e.g. 'google swiftshader SwiftShader driver 5.0.0'. */
  description: string;
}

// Renderers that run on the CPU, as adapters and WebGL renderer strings name them.
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|\bwarp\b/i;

/** True when a renderer string names a software renderer (WebGL's UNMASKED_RENDERER, an adapter's description). */
export function isSoftwareRenderer(text: string): boolean {
  return SOFTWARE_RENDERER.test(text);
}

/** Classifies a WebGPU adapter: WebGPU's fallback flag, else its vendor, architecture and description. */
export function classifyAdapter(adapter: Pick<AdapterLike, 'info' | 'isFallbackAdapter'>): DeviceKind {
  const i = adapter.info ?? {};
  const description = [i.vendor, i.architecture, i.description || i.device].filter((s) => s).join(' ') || 'unnamed adapter';
  const software = i.isFallbackAdapter === true || adapter.isFallbackAdapter === true || isSoftwareRenderer(description);
  return { software, description };
}
