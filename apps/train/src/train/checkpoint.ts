/**
 * Checkpoints: one folder holding everything a run needs to continue exactly.
 *
 *   model.json + weights.bin   the model in tfjs layers format (BN statistics included),
 *                              loadable with tf.loadLayersModel anywhere
 *   optimizer.json + .bin      SGD momentum buffers, in trainable-weight order
 *   state.json                 epoch, step, RNG state, position inside the epoch, metrics, recipe
 *
 * Written atomically: into `checkpoint.tmp`, then the old folder is renamed
 * aside, the new one into place, and the old one removed. A crash at any point
 * leaves either `checkpoint` or `checkpoint.old` complete; loading takes the
 * first that exists.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type RngState } from '../rng.js';
import { type EpochMetrics, type Recipe } from './types.js';

/** Everything besides tensors that a checkpoint stores. */
export interface CheckpointState {
  /** Format version. */
  version: 1;
  /** Zoo model name and the options it was built with. */
  model: { name: string; options: Record<string, unknown> };
  /** The `--data` value. */
  data: string;
  /** The full training recipe. */
  recipe: Recipe;
  /** Seed of the run. */
  seed: number;
  /** Epochs completed. */
  epoch: number;
  /** Iterations completed. */
  step: number;
  /** RNG state after the last completed iteration. */
  rng: RngState;
  /** Set when stopped inside an epoch (Ctrl-C): where to continue. */
  partial: null | {
    /** Batches of the current epoch already done. */
    batch: number;
    /** The current epoch's shuffled order. */
    order: number[];
    /** Sums so far. */
    lossSum: number;
    wrong: number;
    seen: number;
    seconds: number;
  };
  /** Per-epoch metrics so far. */
  metrics: EpochMetrics[];
  /** Whether the run reached its last epoch. */
  complete: boolean;
  /** Backend that produced it. */
  backend: string;
}

/** What {@link loadCheckpoint} returns. */
export interface LoadedCheckpoint {
  model: tf.LayersModel;
  state: CheckpointState;
  /** Momentum buffers, or null. */
  buffers: tf.Tensor[] | null;
  /** Folder actually read. */
  dir: string;
}

/** The folder of the checkpoint inside a run's output folder. */
export function checkpointDir(out: string): string {
  return join(out, 'checkpoint');
}

async function modelArtifacts(model: tf.LayersModel): Promise<{ json: object; weights: Uint8Array }> {
  let result: { json: object; weights: Uint8Array } | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData ? tf.io.CompositeArrayBuffer.join(a.weightData) : new ArrayBuffer(0);
      result = {
        json: {
          format: a.format ?? 'layers-model',
          generatedBy: a.generatedBy,
          convertedBy: null,
          modelTopology: a.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
        },
        weights: new Uint8Array(data),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return result!;
}

/** Writes a model as model.json + weights.bin into `dir` (created if needed). */
export async function writeTfjsModel(model: tf.LayersModel, dir: string): Promise<void> {
  const { json, weights } = await modelArtifacts(model);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'weights.bin'), weights);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}

/** Reads model.json + weights.bin from `dir` (custom layers must be registered: import @resnet/zoo). */
export async function readTfjsModel(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }>;
  };
  const bin = readFileSync(join(dir, 'weights.bin'));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData }),
  );
}

/** Saves a checkpoint of `model`, its optimizer buffers and `state` into `out`/checkpoint, atomically. */
export async function saveCheckpoint(
  out: string,
  model: tf.LayersModel,
  buffers: tf.Tensor[] | null,
  state: CheckpointState,
): Promise<void> {
  const final = checkpointDir(out);
  const tmp = `${final}.tmp`;
  const old = `${final}.old`;
  rmSync(tmp, { recursive: true, force: true });
  await writeTfjsModel(model, tmp);
  const shapes = buffers ? buffers.map((b) => b.shape) : null;
  const data = buffers ? await Promise.all(buffers.map((b) => b.data<'float32'>())) : [];
  const total = data.reduce((s, d) => s + d.length, 0);
  const flat = new Float32Array(total);
  let at = 0;
  for (const d of data) {
    flat.set(d, at);
    at += d.length;
  }
  writeFileSync(join(tmp, 'optimizer.bin'), new Uint8Array(flat.buffer));
  writeFileSync(join(tmp, 'optimizer.json'), JSON.stringify({ kind: 'sgd', shapes }));
  writeFileSync(join(tmp, 'state.json'), JSON.stringify(state, null, 1));
  rmSync(old, { recursive: true, force: true });
  if (existsSync(final)) renameSync(final, old);
  renameSync(tmp, final);
  rmSync(old, { recursive: true, force: true });
}

/** Whether `out` (a run folder) or `out` itself (a checkpoint folder) holds a checkpoint. */
export function findCheckpoint(path: string): string | null {
  for (const d of [checkpointDir(path), `${checkpointDir(path)}.old`, path]) {
    if (existsSync(join(d, 'state.json')) && existsSync(join(d, 'model.json'))) return d;
  }
  return null;
}

/** Loads the checkpoint of a run folder (or a checkpoint folder itself). */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  const dir = findCheckpoint(path);
  if (!dir) throw new Error(`no checkpoint in '${path}': expected ${join(checkpointDir(path), 'state.json')} (written by resnet-train train --out ${path})`);
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as CheckpointState;
  if (state.version !== 1) throw new Error(`${dir}/state.json: unsupported checkpoint version ${String(state.version)}; this resnet-train reads version 1`);
  const model = await readTfjsModel(dir);
  const opt = JSON.parse(readFileSync(join(dir, 'optimizer.json'), 'utf8')) as { shapes: number[][] | null };
  let buffers: tf.Tensor[] | null = null;
  if (opt.shapes) {
    const bin = readFileSync(join(dir, 'optimizer.bin'));
    const flat = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
    let at = 0;
    buffers = opt.shapes.map((shape) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const t = tf.tensor(flat.subarray(at, at + n), shape, 'float32');
      at += n;
      return t;
    });
    if (at !== flat.length) throw new Error(`${dir}/optimizer.bin: ${flat.length} values, but optimizer.json describes ${at}`);
  }
  return { model, state, buffers, dir };
}
