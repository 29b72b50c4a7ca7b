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
