// Veit et al. (2016), §6: how much gradient flows along paths of each length.
import { cast, customGrad, grad, norm, tidy, zerosLike, type Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { checkPositiveInt, ResidualAdd, Rng } from '@resnet/blocks';
import { functional, runGraph } from './graph.js';
import { residualJunctions } from './lesion.js';
import { checkBatch, softmaxCrossEntropy, type Batch, type LossFn } from './loss.js';
import { pathLengthDistribution } from './paths.js';

// Identity forward, zero gradient backward (tfjs-core has no stopGradient op).
const stopGradient: (x: Tensor) => Tensor = customGrad((...args: unknown[]) => ({
  value: (args[0] as Tensor).clone(),
  gradFunc: (dy: Tensor) => zerosLike(dy),
}));

/** Options shared by {@link pathGradient} and {@link pathGradientByLength}. */
export interface PathGradientOptions {
  /** Loss on (logits, labels); default mean softmax cross-entropy. */
  loss?: LossFn;
  /** Run layers in training mode. Default false (BatchNorm on its moving statistics). */
  training?: boolean;
}

/**
 * The gradient of the loss with respect to the model input that flows only
 * through the residual branches of the blocks in `active` and only through the
 * shortcuts of all others: the forward pass is the whole network; in the
 * backward pass each junction passes gradient to one side only. Blocks are
 * indices into `residualJunctions(model)`. Summed over all 2^n subsets these
 * gradients give the full gradient exactly when the network is linear.
 *
 * @returns a tensor shaped like `batch.x` (the caller disposes it).
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * const model = createModel('resnet8');
 * const batch = { x: tf.randomNormal([4, 32, 32, 3]), y: tf.tensor1d([0, 1, 2, 3], 'int32') };
 * const g = pathGradient(model, batch, [0, 2]); // gradient through the branches of blocks 0 and 2 only
 * console.log(g.norm().dataSync()[0]);
 * g.dispose();
 * ```
 */
export function pathGradient(model: LayersModel, batch: Batch, active: Iterable<number>, opts: PathGradientOptions = {}): Tensor {
  checkBatch(batch, 'pathGradient');
  const junctions = residualJunctions(model);
  const on = new Set(active);
  for (const i of on) {
    if (!Number.isInteger(i) || i < 0 || i >= junctions.length) {
      throw new Error(`pathGradient: block ${i} is out of range; this model has ${junctions.length} residual junctions (valid 0..${junctions.length - 1})`);
    }
  }
  const index = new Map(junctions.map((j, i) => [j, i]));
  const graph = functional(model);
  const lossFn = opts.loss ?? softmaxCrossEntropy;
  return tidy(() =>
    grad((x: Tensor) => {
      const [logits] = runGraph(graph, x, {
        training: opts.training ?? false,
        beforeNode: (node, ins) => {
          const layer = node.outboundLayer;
          if (!(layer instanceof ResidualAdd)) return;
          const [shortcut, branch] = ins as [Tensor, Tensor];
          return on.has(index.get(layer)!) ? [stopGradient(shortcut), branch] : [shortcut, stopGradient(branch)];
        },
      });
      return lossFn(logits!, batch.y);
    })(cast(batch.x, 'float32')),
  );
}

/** Gradient magnitude along paths of one length. */
export interface PathLengthGradient {
  /** Path length k: the number of residual branches the path passes through. */
  length: number;
  /** Number of random k-subsets measured. */
  samples: number;
  /** Mean L2 norm of the input gradient along one path of length k. */
  meanNorm: number;
  /** Standard deviation of that norm over the samples. */
  stdNorm: number;
  /** Fraction of all 2^n paths that have length k. */
  pathFraction: number;
  /** Share of the total gradient carried by all paths of length k: ∝ pathFraction × meanNorm, summing to 1. */
  gradientShare: number;
}

/** The result of {@link pathGradientByLength}. */
export interface PathGradientReport {
  /** Number of residual blocks n. */
  blocks: number;
  /** One entry per measured length, ascending. */
  byLength: PathLengthGradient[];
  /**
   * The shortest range of lengths carrying at least `mass` of the gradient
   * (Veit et al. find lengths 5–17 for ResNet-110, 0.45% of its paths).
   */
  effective: { minLength: number; maxLength: number; gradientShare: number; pathFraction: number };
}

/** Options of {@link pathGradientByLength}. */
export interface PathGradientByLengthOptions extends PathGradientOptions {
  /** Random subsets measured per length. Default 8 (Veit et al. used 1,000). */
  samples?: number;
  /** Path lengths to measure. Default 0..n. */
  lengths?: number[];
  /** Share of the gradient the effective range must hold. Default 0.9. */
  mass?: number;
  /** Seed of the subset sampler, for reproducible reports. Default 1. */
  seed?: number;
}

function subset(n: number, k: number, rng: Rng): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, k);
}

/**
 * Veit et al.'s measurement: for each path length k, sample random sets of k
 * residual blocks, send the gradient through only those blocks' branches (and
 * only the shortcuts elsewhere), and record the norm of the gradient at the
 * input. Multiplying by the number of paths of each length gives how much of
 * the total gradient each length carries, and the effective range of lengths.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * const model = createModel('resnet8'); // 3 blocks; Veit et al. measured ResNet-110's 54
 * const batch = { x: tf.randomNormal([4, 32, 32, 3]), y: tf.tensor1d([0, 1, 2, 3], 'int32') };
 * const report = await pathGradientByLength(model, batch, { samples: 2 });
 * report.effective; // { minLength, maxLength, gradientShare, pathFraction }
 * ```
 */
export async function pathGradientByLength(model: LayersModel, batch: Batch, opts: PathGradientByLengthOptions = {}): Promise<PathGradientReport> {
  const n = residualJunctions(model).length;
  if (n === 0) throw new Error('pathGradientByLength: the model has no ResidualAdd junctions (a plain network has a single path)');
  const samples = opts.samples ?? 8;
  checkPositiveInt(samples, 'pathGradientByLength: samples');
  const mass = opts.mass ?? 0.9;
  if (!(mass > 0 && mass <= 1)) throw new Error(`pathGradientByLength: mass must be in (0, 1], got ${mass}`);
  const lengths = [...new Set(opts.lengths ?? Array.from({ length: n + 1 }, (_, k) => k))].sort((a, b) => a - b);
  for (const k of lengths) {
    if (!Number.isInteger(k) || k < 0 || k > n) throw new Error(`pathGradientByLength: length ${k} is out of range 0..${n}`);
  }
  const rng = new Rng(opts.seed ?? 1);
  const p = pathLengthDistribution(n);
  const rows: PathLengthGradient[] = [];
  for (const k of lengths) {
    // Only one subset exists for k = 0 and k = n.
    const count = k === 0 || k === n ? 1 : samples;
    const norms: number[] = [];
    for (let s = 0; s < count; s++) {
      const g = pathGradient(model, batch, subset(n, k, rng), opts);
      const v = norm(g);
      norms.push((await v.data())[0]!);
      g.dispose();
      v.dispose();
    }
    const mean = norms.reduce((a, b) => a + b, 0) / norms.length;
    const std = Math.sqrt(norms.reduce((a, b) => a + (b - mean) ** 2, 0) / norms.length);
    rows.push({ length: k, samples: count, meanNorm: mean, stdNorm: std, pathFraction: p[k]!, gradientShare: p[k]! * mean });
  }
  const total = rows.reduce((a, r) => a + r.gradientShare, 0);
  for (const r of rows) r.gradientShare = total > 0 ? r.gradientShare / total : 0;
  return { blocks: n, byLength: rows, effective: effectiveRange(rows, mass) };
}

// Shortest contiguous run of measured lengths holding at least `mass` of the share.
function effectiveRange(rows: PathLengthGradient[], mass: number): PathGradientReport['effective'] {
  let best = { i: 0, j: rows.length - 1 };
  for (let i = 0; i < rows.length; i++) {
    let acc = 0;
    for (let j = i; j < rows.length; j++) {
      acc += rows[j]!.gradientShare;
      if (acc >= mass - 1e-12) {
        if (j - i < best.j - best.i) best = { i, j };
        break;
      }
    }
  }
  const run = rows.slice(best.i, best.j + 1);
  return {
    minLength: rows[best.i]!.length,
    maxLength: rows[best.j]!.length,
    gradientShare: run.reduce((a, r) => a + r.gradientShare, 0),
    pathFraction: run.reduce((a, r) => a + r.pathFraction, 0),
  };
}
