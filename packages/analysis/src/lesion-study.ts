// Veit et al. (2016), §4: delete single blocks from a trained network and
// measure the error. Residual networks degrade smoothly; plain ones break.
import { concat, slice, tidy, type Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { checkPositiveInt } from '@resnet/blocks';
import { blockBoundary, modelBlocks, type BlockOf } from './blocks.js';
import { functional, runGraph } from './graph.js';
import { lesion, residualJunctions } from './lesion.js';
import { checkBatch, top1Error, type Batch } from './loss.js';

/** One removed block of a {@link lesionStudy}. */
export interface LesionResult {
  /** Junction index (method `'gate'`) or block position among the removable blocks (method `'skip'`). */
  index: number;
  /** Block name (`layer2.1`). */
  name: string;
  /** Whether the block changes the shape (stride / channels) and so keeps a learned or zero-pad shortcut. */
  downsampling: boolean;
  /** Top-1 error with this block removed. */
  error: number;
  /** `error - baselineError`. */
  increase: number;
}

/** The result of {@link lesionStudy}. */
export interface LesionStudyResult {
  /** How blocks were removed; see {@link LesionStudyOptions.method}. */
  method: 'gate' | 'skip';
  /** Top-1 error of the intact model. */
  baselineError: number;
  /** One entry per removed block, in model order. */
  blocks: LesionResult[];
}

/** Options of {@link lesionStudy}. */
export interface LesionStudyOptions {
  /**
   * - `'gate'`: set the block's junction gate to 0 (the block passes its
   *   shortcut only); needs `ResidualAdd` junctions. Every junction is studied.
   * - `'skip'`: remove the block from the graph, feeding its input straight to
   *   whatever followed it; works for plain networks too, and only for blocks
   *   whose input and output shapes match (non-downsampling blocks).
   * - `'auto'` (default): `'gate'` when the model has junctions, else `'skip'`.
   */
  method?: 'gate' | 'skip' | 'auto';
  /** Blocks to study: junction indices / names (`'gate'`) or block names (`'skip'`). Default: all eligible. */
  blocks?: Array<number | string>;
  /** Examples per forward pass. Default 256. */
  batchSize?: number;
  /** Block grouping for `'skip'` (default: first two segments of dotted names). */
  blockOf?: BlockOf;
}

async function errorOf(data: Batch, batchSize: number, forward: (x: Tensor) => Tensor): Promise<number> {
  const n = data.x.shape[0]!;
  const logits = tidy(() => {
    const parts: Tensor[] = [];
    for (let i = 0; i < n; i += batchSize) {
      const size = Math.min(batchSize, n - i);
      parts.push(forward(slice(data.x, i, size)));
    }
    return parts.length === 1 ? parts[0]! : concat(parts, 0);
  });
  const e = top1Error(logits, data.y);
  const v = (await e.data())[0]!;
  logits.dispose();
  e.dispose();
  return v;
}

/**
 * Evaluates the model on `data` with each single block removed and reports the
 * top-1 error per block, next to the intact model's. The model is left as it
 * was. For a fair plain-vs-residual comparison use `'skip'` on the plain net and
 * look at the non-downsampling blocks of both (for a v1 identity block, gate 0
 * and skipping give the same function: `relu(x) = x` for the post-ReLU input).
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * const model = createModel('resnet20'); // use your trained model and its test set
 * const x = tf.randomNormal([16, 32, 32, 3]);
 * const y = tf.randomUniform([16], 0, 10, 'int32');
 * const study = await lesionStudy(model, { x, y });
 * study.blocks.map((b) => [b.name, b.error - study.baselineError]); // how much each block matters
 * ```
 */
export async function lesionStudy(model: LayersModel, data: Batch, opts: LesionStudyOptions = {}): Promise<LesionStudyResult> {
  checkBatch(data, 'lesionStudy');
  const batchSize = opts.batchSize ?? 256;
  checkPositiveInt(batchSize, 'lesionStudy: batchSize');
  const junctions = residualJunctions(model);
  const requested = opts.method ?? 'auto';
  if (!['gate', 'skip', 'auto'].includes(requested)) throw new Error(`lesionStudy: method must be 'gate', 'skip' or 'auto', got ${JSON.stringify(requested)}`);
  const method = requested === 'auto' ? (junctions.length > 0 ? 'gate' : 'skip') : requested;
  const graph = functional(model);
  const predict = (x: Tensor) => model.predict(x) as Tensor;
  const baselineError = await errorOf(data, batchSize, predict);
  const blocks: LesionResult[] = [];
  const byName = new Map(modelBlocks(graph, opts.blockOf).map((b) => [b.name, b]));

  if (method === 'gate') {
    if (junctions.length === 0) throw new Error("lesionStudy: method 'gate' needs ResidualAdd junctions and this model has none; use method 'skip'");
    const chosen = opts.blocks ?? junctions.map((_, i) => i);
    for (const b of chosen) {
      const l = lesion(model, [b]);
      try {
        const j = l.junctions[0]!;
        const block = [...byName.values()].find((x) => x.junctions.includes(j));
        const shortcutSource = (j.inboundNodes[0]?.inputTensors[0] as { sourceLayer?: { name: string } } | undefined)?.sourceLayer?.name ?? '';
        const downsampling = block != null && block.layers.some((x) => x.name === shortcutSource);
        const error = await errorOf(data, batchSize, predict);
        blocks.push({ index: junctions.indexOf(j), name: block?.name ?? j.name, downsampling, error, increase: error - baselineError });
      } finally {
        l.restore();
      }
    }
    return { method, baselineError, blocks };
  }

  const candidates = [...byName.values()].filter((b) => b.name !== 'stem' && b.name !== 'head');
  const names = (opts.blocks ?? candidates.map((b) => b.name)).map(String);
  const explicit = opts.blocks != null;
  let index = 0;
  for (const name of names) {
    const block = byName.get(name);
    if (!block) throw new Error(`lesionStudy: no block named '${name}'; known: ${candidates.map((b) => b.name).join(', ')}`);
    const bound = blockBoundary(graph, new Set(block.layers.map((l) => l.name)));
    const same = bound.inputs.length === 1 && bound.outputs.length === 1 && JSON.stringify(bound.inputShapes[0]) === JSON.stringify(bound.outputShapes[0]);
    if (!same) {
      if (explicit) {
        throw new Error(
          `lesionStudy: block '${name}' cannot be skipped: it maps ${JSON.stringify(bound.inputShapes)} to ${JSON.stringify(bound.outputShapes)}; ` +
            `only blocks with one input and one output of the same shape can be removed`,
        );
      }
      continue;
    }
    const substitute = new Map([[bound.outputs[0]!, bound.inputs[0]!]]);
    const error = await errorOf(data, batchSize, (x) => runGraph(graph, x, { substitute })[0]!);
    blocks.push({ index: index++, name, downsampling: false, error, increase: error - baselineError });
  }
  return { method, baselineError, blocks };
}
