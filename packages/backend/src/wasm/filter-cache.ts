import type { TensorInfo } from '@tensorflow/tfjs-core';
import { alignedScratch, type WasmBackendLike } from './kernel-utils.js';
import { simdKernelOptions } from './simd-kernels.js';

// Winograd-transformed filters kept between calls (packed ones are not: see
// winograd.ts' keepsFilter). A filter tensor's data never changes (tfjs tensors
// are immutable; a variable's new value is a new dataId), so a transformed copy
// keyed by the dataId stays valid while the tensor lives. Inference calls the same filters again and again; training replaces them
// every step. So a filter is cached the second time it is seen with the same
// layout (a first sight costs nothing), entries of disposed filters are freed at
// the next convolution, and a backend holds at most BUDGET_BYTES of them.

/** Bytes of cached filters per backend. */
const BUDGET_BYTES = 256 * 2 ** 20;

/** Where a cached filter lives, and whether it holds the transformed filter yet (else the next kernel call fills it). */
export interface FilterSlot {
  /** Byte address, 64-byte aligned. */
  at: number;
  /** Set by the caller once a kernel call has filled the slot without failing. */
  ready: boolean;
}

interface Entry { slot: FilterSlot; bytes: number; free(): void }

/** One backend's cache: entries by filter dataId and layout key, in use order (a Map keeps insertion order). */
class Cache {
  readonly entries = new Map<object, Map<string, Entry>>();
  readonly seen = new WeakMap<object, Set<string>>();
  bytes = 0;

  /** The slot for (dataId, key): null at a first sight or when caching is off. */
  slot(dataId: object, key: string, bytes: number, allocate: () => Entry): FilterSlot | null {
    const byKey = this.entries.get(dataId);
    const hit = byKey?.get(key);
    if (hit != null) {
      this.entries.delete(dataId);
      this.entries.set(dataId, byKey!); // most recently used last
      return hit.slot;
    }
    const seen = this.seen.get(dataId) ?? new Set<string>();
    this.seen.set(dataId, seen);
    if (!seen.has(key) || bytes > BUDGET_BYTES) {
      seen.add(key);
      return null;
    }
    while (this.bytes + bytes > BUDGET_BYTES && this.entries.size > 0) this.drop(this.entries.keys().next().value!);
    const entry = allocate();
    this.bytes += entry.bytes;
    this.entries.set(dataId, (byKey ?? new Map()).set(key, entry));
    return entry.slot;
  }

  /** Frees every entry of `dataId`. */
  drop(dataId: object): void {
    for (const entry of this.entries.get(dataId)?.values() ?? []) {
      entry.free();
      this.bytes -= entry.bytes;
    }
    this.entries.delete(dataId);
  }
}

interface BackendWithData extends WasmBackendLike {
  dataIdMap?: { has(dataId: object): boolean };
}

const mainCaches = new WeakMap<WasmBackendLike, Cache>();

/**
 * A slot in tfjs' heap for the transformed `filter` in layout `key`,
 * or null when it is not to be cached (first sight, caching off). Frees, first,
 * the entries of filters disposed since the last call.
 */
export function cachedFilter(backend: WasmBackendLike, filter: TensorInfo, key: string, floats: number): FilterSlot | null {
  let cache = mainCaches.get(backend);
  if (cache == null) mainCaches.set(backend, (cache = new Cache()));
  const data = (backend as BackendWithData).dataIdMap;
  const on = simdKernelOptions().filterCache && data != null;
  // Entries of disposed filters go (all of them once caching is switched off).
  for (const dataId of [...cache.entries.keys()]) if (!on || !data.has(dataId)) cache.drop(dataId);
  if (!on) return null;
  return cache.slot(filter.dataId, key, 4 * floats, () => {
    const { info, at } = alignedScratch(backend, floats);
    return { slot: { at, ready: false }, bytes: 4 * floats, free: () => backend.disposeData(info.dataId) };
  });
}

/** Frees the entries of `filter` in tfjs' heap (after a kernel call that was to fill one failed). */
export function dropCachedFilter(backend: WasmBackendLike, filter: TensorInfo): void {
  mainCaches.get(backend)?.drop(filter.dataId);
}
