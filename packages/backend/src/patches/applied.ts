// The record of what this package changed outside itself (tfjs' registries, a
// tfjs-layers class, tfjs-backend-wasm's process handlers), so that a caller can
// see every global change in BackendInfo.patches instead of discovering it.

const applied = new Set<string>();

/** Notes that the patch described by `what` is in effect in this process (idempotent). */
export function recordPatch(what: string): void {
  applied.add(what);
}

/**
 * What this package has changed outside itself so far, in the order first
 * applied; each entry names what was patched and how far it reaches.
 *
 * @example
 * ```ts
 * await selectBackend('wasm');
 * appliedPatches(); // ['tfjs-backend-wasm init: …', 'tfjs-core gradients of FusedBatchNorm, …', …]
 * ```
 */
export function appliedPatches(): string[] {
  return [...applied];
}
