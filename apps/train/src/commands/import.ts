/**
 * `resnet-train import`: the way back from PyTorch. Loads a state dict saved as
 * safetensors (tools/resnet_ddp/train_ddp.py's model.safetensors, or any file
 * in torchvision's names and layouts) into the zoo model with `loadWeights`,
 * strictly, and evaluates it on the data's splits in inference mode, as `eval`
 * does for checkpoints. Optionally writes the test logits (to compare with
 * PyTorch's on the same images) and the model as tfjs model.json + weights.bin.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadWeights, parseSafetensors, writeSafetensors } from '@resnet/zoo';
import { type Dataset, loadData } from '../data/index.js';
import { buildSeededModel, isCifarFamily, trainableParams } from '../models.js';
import { writeTfjsModel } from '../train/checkpoint.js';
import { evaluate } from '../train/step.js';
import { type EvalResult } from './evaluate.js';

/** What to import and where to evaluate it. */
export interface ImportOptions {
  /** The safetensors file. */
  weights: string;
  /** Zoo model the file holds. */
  model: string;
  /** Stage widths of a CIFAR-family model (default: the file's). */
  widths?: number[];
  /** The `--data` value. */
  data: string;
  /** Evaluate only the first N images of each split. */
  trainSize?: number;
  testSize?: number;
  /** Write the test split's logits here (safetensors, `logits` F32 [N, classes]). */
  logits?: string;
  /** Write the model here as tfjs model.json + weights.bin. */
  out?: string;
}

/** The evaluation, plus what was written. */
export interface ImportResult extends Omit<EvalResult, 'epoch'> {
  /** The file loaded. */
  weights: string;
  /** Trainable parameters (PyTorch's convention). */
  params: number;
  /** Files written. */
  files: string[];
}

/** Inference-mode logits of every image of a split, in batches. */
export function logitsOf(model: tf.LayersModel, images: Float32Array, shape: [number, number, number], batchSize = 250): Float32Array {
  const size = shape[0] * shape[1] * shape[2];
  const count = images.length / size;
  const classes = model.outputs[0]!.shape[1] as number;
  const out = new Float32Array(count * classes);
  for (let at = 0; at < count; at += batchSize) {
    const n = Math.min(batchSize, count - at);
    const logits = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(at * size, (at + n) * size), [n, ...shape]);
      return (model.apply(x, { training: false }) as tf.Tensor).dataSync();
    });
    out.set(logits, at * classes);
  }
  return out;
}

function readWeights(path: string): Uint8Array {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new Error(`--weights ${path}: no such file (a safetensors state dict, e.g. train_ddp.py's OUT/model.safetensors)`);
  }
  return readFileSync(path);
}

/** The stage widths of a CIFAR-family state dict (its first conv of each stage), or undefined if it has none. */
export function widthsOf(bytes: Uint8Array): number[] | undefined {
  const entries = parseSafetensors(bytes).entries;
  const widths = [1, 2, 3].map((s) => entries.get(`layer${s}.0.conv1.weight`)?.shape[0]);
  return widths.every((w) => w !== undefined) ? (widths as number[]) : undefined;
}

/** Imports and evaluates; see the file comment. */
export async function runImport(o: ImportOptions): Promise<ImportResult> {
  if (o.widths && !isCifarFamily(o.model)) throw new Error(`--widths applies to the CIFAR family (resnet20, plain56, …), not ${o.model}`);
  const bytes = readWeights(o.weights);
  const ds: Dataset = loadData(o.data, { trainSize: o.trainSize, testSize: o.testSize });
  const widths = o.widths ?? (isCifarFamily(o.model) ? widthsOf(bytes) : undefined);
  const model = buildSeededModel(o.model, { inputShape: ds.shape, numClasses: ds.numClasses, widths }, 1);
  try {
    try {
      const report = await loadWeights(model, bytes, { from: 'torchvision', strict: true });
      if (report.skipped.length) throw new Error(report.notes.join(' '));
    } catch (e) {
      const hint = isCifarFamily(o.model) ? ', --widths' : '';
      throw new Error(
        `--weights ${o.weights} does not fit ${o.model} for ${o.data} (input [${ds.shape}], ${ds.numClasses} classes); check --model${hint}:\n  ${(e as Error).message}`,
      );
    }
    const train = await evaluate(model, ds.train.images, ds.train.labels, ds.shape);
    const test = await evaluate(model, ds.test.images, ds.test.labels, ds.shape);
    const files: string[] = [];
    if (o.logits) {
      const logits = logitsOf(model, ds.test.images, ds.shape);
      mkdirSync(dirname(o.logits), { recursive: true });
      const meta = { data: ds.name, split: 'test', writer: 'resnet-train import' };
      const classes = model.outputs[0]!.shape[1] as number;
      writeFileSync(o.logits, writeSafetensors({ logits: { shape: [ds.test.count, classes], data: logits } }, meta));
      files.push(o.logits);
    }
    if (o.out) {
      await writeTfjsModel(model, o.out);
      files.push(join(o.out, 'model.json'), join(o.out, 'weights.bin'));
    }
    return {
      model: o.model,
      data: ds.name,
      weights: o.weights,
      params: trainableParams(model),
      train: { images: ds.train.count, ...train },
      test: { images: ds.test.count, ...test },
      files,
    };
  } finally {
    model.dispose();
  }
}
