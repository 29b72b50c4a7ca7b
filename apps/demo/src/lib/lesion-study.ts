// The lesion study of section 4 (Veit et al. 2016) on the main thread's backend,
// via @resnet/analysis lesionStudy: ResNet blocks are deleted by switching their
// residual branch off (gate 0, shortcut kept); plain blocks, which have no
// shortcut to fall back on, are cut out of the graph (input wired to whatever
// read their output; only shape-preserving blocks can go).
import type * as tf from '@tensorflow/tfjs';
import { lesionStudy } from '@resnet/analysis';

/** One deleted block. */
export interface LesionRow {
  name: string;
  downsampling: boolean;
  error: number;
}

/** The study of one model. */
export interface LesionResult {
  method: 'gate' | 'skip';
  baselineError: number;
  blocks: LesionRow[];
}

/** Deletes each eligible block of `model` in turn and measures the top-1 error on (x, labels). */
export async function lesions(model: tf.LayersModel, x: tf.Tensor4D, labels: tf.Tensor1D): Promise<LesionResult> {
  const r = await lesionStudy(model, { x, y: labels }, { batchSize: 250 });
  return { method: r.method, baselineError: r.baselineError, blocks: r.blocks.map((b) => ({ name: b.name, downsampling: b.downsampling, error: b.error })) };
}
