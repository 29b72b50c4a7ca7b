// Finding residual junctions and switching their branches off (Veit et al. 2016).
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ResidualAdd } from '@resnet/blocks';
import { leafLayers } from './params.js';

/**
 * The model's `ResidualAdd` junctions in execution order (nested models
 * included). Index `i` of this list is "block i" for {@link lesion} and
 * the lesion study.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * residualJunctions(createModel('resnet20')).map((j) => j.name); // ['layer1.0.add', …, 'layer3.2.add']: 9 blocks
 * ```
 */
export function residualJunctions(model: LayersModel): ResidualAdd[] {
  if (model == null || !Array.isArray((model as { layers?: unknown }).layers)) {
    throw new Error(`residualJunctions: expected a tfjs LayersModel, got ${String(model)}`);
  }
  return leafLayers(model)
    .map((l) => l.layer)
    .filter((l): l is ResidualAdd => l instanceof ResidualAdd);
}

/** The handle {@link lesion} returns. */
export interface Lesion {
  /** The junctions switched off. */
  readonly junctions: readonly ResidualAdd[];
  /** Puts back every gate this lesion changed, to its value before the lesion. Idempotent. */
  restore(): void;
}

/**
 * Switches off the residual branch of the given blocks (gate 0), so each of them
 * passes only its shortcut: `shortcut + 0·branch`. Blocks are indices into
 * {@link residualJunctions} (or junction layer names such as `'layer2.1.add'`).
 * The model changes in place; call `restore()` on the result to undo.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * const model = createModel('resnet20');
 * const x = tf.randomNormal([8, 32, 32, 3]);
 * const l = lesion(model, [4]);
 * const lesioned = model.predict(x);
 * l.restore();
 * ```
 */
export function lesion(model: LayersModel, blocks: ReadonlyArray<number | string>): Lesion {
  const all = residualJunctions(model);
  if (!Array.isArray(blocks)) throw new Error(`lesion: blocks must be an array of indices or junction names, got ${String(blocks)}`);
  const chosen: ResidualAdd[] = [];
  for (const b of blocks) {
    let j: ResidualAdd | undefined;
    if (typeof b === 'number') {
      if (!Number.isInteger(b) || b < 0 || b >= all.length) {
        throw new Error(`lesion: block index ${b} is out of range; this model has ${all.length} residual junctions (valid 0..${all.length - 1})`);
      }
      j = all[b];
    } else {
      j = all.find((x) => x.name === b);
      if (!j) {
        const names = all.slice(0, 6).map((x) => x.name).join(', ');
        throw new Error(`lesion: no residual junction named '${b}'; known: ${names}${all.length > 6 ? ', …' : ''}`);
      }
    }
    if (!chosen.includes(j!)) chosen.push(j!);
  }
  const saved = chosen.map((j) => j.gate);
  for (const j of chosen) j.gate = 0;
  let restored = false;
  return {
    junctions: chosen,
    restore() {
      if (restored) return;
      chosen.forEach((j, i) => (j.gate = saved[i]!));
      restored = true;
    },
  };
}

/**
 * Runs `fn` with the given blocks lesioned and restores them afterwards, even if `fn` throws.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * const model = createModel('resnet20');
 * const x = tf.randomNormal([8, 32, 32, 3]);
 * const without4 = await withLesion(model, [4], () => (model.predict(x) as tf.Tensor).array()); // block 4 restored afterwards
 * ```
 */
export async function withLesion<T>(model: LayersModel, blocks: ReadonlyArray<number | string>, fn: () => T | Promise<T>): Promise<T> {
  const l = lesion(model, blocks);
  try {
    return await fn();
  } finally {
    l.restore();
  }
}
