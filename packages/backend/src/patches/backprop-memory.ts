// A patch of tfjs-core's engine (the process-wide one): its backward pass keeps
// every intermediate gradient and every activation saved for the backward pass
// until the whole pass ends, so a training step's peak holds the activations
// and all their gradients at once. This frees each node's saved activations and
// the gradients of its outputs as soon as the node's own backward step is done
// (one node later, when the next node's gradient is asked for). The values are
// unchanged: only the moment tensors are disposed moves. Applied by
// registerTrainingGradients; listed in BackendInfo.patches (see ./applied.ts).
import { engine, type Tensor } from '@tensorflow/tfjs-core';
import { recordPatch } from './applied.js';

/** What {@link freeBackpropEarly} lists in `BackendInfo.patches`. */
export const BACKPROP_MEMORY_PATCH =
  "tfjs-core engine.gradients: each node's saved activations and output gradients freed once its backward step is done (same values, lower peak; every backend)";

/** A tape node as tfjs-core's engine records it (the fields this patch reads). */
interface TapeNode {
  outputs: Tensor[];
  saved?: Tensor[];
  gradient?: (dys: Array<Tensor | null>) => Record<string, () => Tensor>;
}

/** The part of tfjs-core's Engine this patch wraps. */
interface EngineInternals {
  state: { gradientDepth: number; activeTape: TapeNode[] | null };
  addTapeNode(...args: unknown[]): void;
  gradients(f: () => Tensor, xs: Tensor[], dy?: Tensor, allowNoGradients?: boolean): { value: Tensor; grads: Tensor[] };
}

/** One running backward pass: what must outlive it, and what the last node left to free. */
interface Pass {
  /** Ids of the tensors whose gradients the caller asked for. */
  keep: Set<number>;
  /** The caller's own `dy`, never ours to free. */
  dy: Tensor | undefined;
  /** The previous node's saved tensors and output gradients, freed when the next node starts. */
  release: Tensor[];
}

const passes: Pass[] = [];
const patched = new WeakSet<object>();

/**
 * Makes tfjs-core's backward pass free memory as it goes: once a tape node's
 * backward step has run, the activations it saved and the gradients of its
 * outputs are disposed (they have no other reader), instead of all living
 * until the end of `tf.grads` / `optimizer.minimize`. A ResNet's training step
 * then peaks at its saved activations plus a few gradients, not plus all of
 * them. The same values, bit for bit; higher-order gradients (a backward pass
 * inside another's forward pass) are left as tfjs-core runs them. Idempotent.
 *
 * @example
 * ```ts
 * freeBackpropEarly(); // then train as usual: the same gradients, a lower peak
 * ```
 */
export function freeBackpropEarly(): void {
  const e = engine() as unknown as EngineInternals;
  if (patched.has(e)) return;
  patched.add(e);
  const gradients = e.gradients;
  e.gradients = function (this: EngineInternals, f, xs, dy, allowNoGradients) {
    const pass: Pass = { keep: new Set(xs.map((x) => x.id)), dy, release: [] };
    passes.push(pass);
    try {
      return gradients.call(this, f, xs, dy, allowNoGradients);
    } finally {
      passes.pop();
    }
  };
  const addTapeNode = e.addTapeNode;
  e.addTapeNode = function (this: EngineInternals, ...args: unknown[]) {
    addTapeNode.apply(this, args);
    const node = this.state.activeTape?.at(-1);
    const gradient = node?.gradient;
    if (node == null || gradient == null) return;
    node.gradient = (dys) => {
      const pass = passes.at(-1);
      if (pass == null || this.state.gradientDepth !== 0) return gradient(dys);
      for (const t of pass.release.splice(0)) t.dispose();
      const closures = gradient(dys);
      // A gradient that is this node's own dy or saved tensor must outlive them: hand out a clone (same data).
      const owned = new Set<Tensor>([...dys.filter((t): t is Tensor => t != null), ...(node.saved ?? [])]);
      pass.release.push(...(node.saved ?? []));
      dys.forEach((t, i) => {
        if (t != null && t !== pass.dy && !pass.keep.has(node.outputs[i]!.id)) pass.release.push(t);
      });
      return Object.fromEntries(Object.entries(closures).map(([name, run]) => [name, () => {
        const dx = run();
        return owned.has(dx) ? dx.clone() : dx;
      }]));
    };
  };
  recordPatch(BACKPROP_MEMORY_PATCH);
}
