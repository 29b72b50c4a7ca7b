/** `resnet-train eval`: error and loss of a checkpoint on a dataset, in inference mode. */
import { loadData } from '../data/index.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import { evaluate } from '../train/step.js';

/** Result of an evaluation. */
export interface EvalResult {
  model: string;
  data: string;
  epoch: number;
  train: { images: number; error: number; loss: number };
  test: { images: number; error: number; loss: number };
}

/** The two lines `eval` and `import` print under their heading: each split's error, loss and image count. */
export function formatSplits(r: Pick<EvalResult, 'train' | 'test'>): string {
  const line = (name: string, s: EvalResult['train']): string =>
    `  ${`${name}:`.padEnd(6)} ${(100 * s.error).toFixed(2)}% error, loss ${s.loss.toFixed(4)} (${s.images} images)\n`;
  return line('train', r.train) + line('test', r.test);
}

/** Loads the checkpoint in `checkpoint` (a run folder or checkpoint folder) and evaluates it. */
export async function runEval(checkpoint: string, data: string | undefined, limits: { trainSize?: number; testSize?: number }): Promise<EvalResult> {
  const ck = await loadCheckpoint(checkpoint);
  try {
    const spec = data ?? ck.state.data;
    const ds = loadData(spec, limits);
    const inShape = ck.model.inputs[0]!.shape.slice(1);
    if (JSON.stringify(inShape) !== JSON.stringify(ds.shape)) {
      throw new Error(`the model takes inputs of shape [${inShape}] but ${spec} has images of shape [${ds.shape}]`);
    }
    const tr = await evaluate(ck.model, ds.train.images, ds.train.labels, ds.shape);
    const te = await evaluate(ck.model, ds.test.images, ds.test.labels, ds.shape);
    return {
      model: ck.state.model.name,
      data: spec,
      epoch: ck.state.epoch,
      train: { images: ds.train.count, ...tr },
      test: { images: ds.test.count, ...te },
    };
  } finally {
    ck.model.dispose();
    ck.buffers?.forEach((b) => b.dispose());
  }
}
