/**
 * Checkpoints: one folder holding everything a run needs to continue exactly.
 *
 *   model.json + weights.bin   the model in tfjs layers format (BN statistics included),
 *                              loadable with tf.loadLayersModel anywhere
 *   optimizer.json + .bin      SGD momentum buffers, in trainable-weight order
 *   state.json                 epoch, step, RNG state, position inside the epoch, metrics,
 *                              recipe, and the size and SHA-256 of the four files above
 *
 * Saving keeps one complete, validated checkpoint on disk at every instant.
 * The new one is written into `checkpoint.tmp`, every file flushed to disk
 * (fsync) and read back; then the current `checkpoint`, if valid, becomes
 * `checkpoint.old` (the older one is removed first) and the new folder takes
 * its place, the run folder flushed after each rename. A kill at any point
 * leaves `checkpoint` or `checkpoint.old` valid; loading tries `checkpoint`,
 * then `checkpoint.old`, and reports why it skipped one.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type CheckpointContents, fileRecord, readCheckpointFolder } from './checkpoint-files.js';
import { type CheckpointFile, type CheckpointState } from './checkpoint-state.js';
import { fsyncDir, writeFileDurable } from './durable.js';

export type { CheckpointState } from './checkpoint-state.js';

/** What {@link loadCheckpoint} returns. */
export interface LoadedCheckpoint {
  model: tf.LayersModel;
  state: CheckpointState;
  /** Momentum buffers, or null. */
  buffers: tf.Tensor[] | null;
  /** Folder actually read. */
  dir: string;
  /** Newer checkpoint folders that were not valid, and why (empty when the newest was used). */
  skipped: Array<{ dir: string; reason: string }>;
}

/** The folder of the checkpoint inside a run's output folder. */
export function checkpointDir(out: string): string {
  return join(out, 'checkpoint');
}

/** Checkpoint folders to try for `path`, newest first: a run folder's two, or `path` itself when it is one. */
export function checkpointFolders(path: string): string[] {
  if (existsSync(join(path, 'state.json'))) return [path];
  return [checkpointDir(path), `${checkpointDir(path)}.old`];
}

/** Whether a run folder holds checkpoint folders (valid or not): a new run must not overwrite them. */
export function hasCheckpoint(out: string): boolean {
  return checkpointFolders(out).some((d) => existsSync(d));
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

/**
 * Writes a model as model.json + weights.bin into `dir` (created if needed).
 * The zoo reads it back (`fileIOHandler`, `loadWeights(…, { from: 'tfjs' })`);
 * it has no writer of its own, so this is the project's one tfjs writer.
 */
export async function writeTfjsModel(model: tf.LayersModel, dir: string): Promise<void> {
  const { json, weights } = await modelArtifacts(model);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'weights.bin'), weights);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}

/** The bytes of the four tensor files. */
async function encode(model: tf.LayersModel, buffers: tf.Tensor[] | null): Promise<Record<CheckpointFile, Uint8Array>> {
  const { json, weights } = await modelArtifacts(model);
  const data = buffers ? await Promise.all(buffers.map((b) => b.data<'float32'>())) : [];
  const flat = new Float32Array(data.reduce((s, d) => s + d.length, 0));
  let at = 0;
  for (const d of data) {
    flat.set(d, at);
    at += d.length;
  }
  const text = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v));
  return {
    'model.json': text(json),
    'weights.bin': weights,
    'optimizer.json': text({ kind: 'sgd', shapes: buffers ? buffers.map((b) => b.shape) : null }),
    'optimizer.bin': new Uint8Array(flat.buffer),
  };
}

function isValid(dir: string): boolean {
  try {
    readCheckpointFolder(dir);
    return true;
  } catch {
    return false;
  }
}

/** Saves a checkpoint of `model`, its optimizer buffers and `state` into `out`/checkpoint (see the file comment). */
export async function saveCheckpoint(out: string, model: tf.LayersModel, buffers: tf.Tensor[] | null, state: CheckpointState): Promise<void> {
  const final = checkpointDir(out);
  const tmp = `${final}.tmp`;
  const old = `${final}.old`;
  const files = await encode(model, buffers);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const records = {} as Record<CheckpointFile, ReturnType<typeof fileRecord>>;
  for (const [name, bytes] of Object.entries(files) as Array<[CheckpointFile, Uint8Array]>) {
    writeFileDurable(join(tmp, name), bytes);
    records[name] = fileRecord(bytes);
  }
  // state.json last: its checksums make the folder self-checking.
  writeFileDurable(join(tmp, 'state.json'), JSON.stringify({ ...state, version: 2, files: records }, null, 1));
  fsyncDir(tmp);
  readCheckpointFolder(tmp);
  if (isValid(final)) {
    rmSync(old, { recursive: true, force: true });
    renameSync(final, old);
    fsyncDir(out);
  } else {
    // A damaged `checkpoint` (or none): `checkpoint.old`, if any, stays the fallback.
    rmSync(final, { recursive: true, force: true });
  }
  renameSync(tmp, final);
  fsyncDir(out);
}

async function build(c: CheckpointContents): Promise<{ model: tf.LayersModel; buffers: tf.Tensor[] | null }> {
  let model: tf.LayersModel | null = null;
  // A build that fails half-way leaves the variables of the layers it made; free them. The weights are
  // decoded and loaded here rather than by loadLayersModel, which leaks them when loading fails.
  const known = new Set(Object.keys(tf.engine().registeredVariables));
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: c.topology }));
    const weights = tf.io.decodeWeights(c.weights.buffer as ArrayBuffer, c.weightSpecs);
    try {
      model.loadWeights(weights, true);
    } finally {
      tf.dispose(Object.values(weights));
    }
  } catch (e) {
    model?.dispose();
    for (const [name, v] of Object.entries(tf.engine().registeredVariables)) if (!known.has(name)) v.dispose();
    throw new Error(`${join(c.dir, 'model.json')}: the model could not be built from it (${(e as Error).message})`);
  }
  if (!c.bufferShapes) return { model, buffers: null };
  const shapes = model.trainableWeights.map((w) => w.shape as number[]);
  const mismatch =
    c.bufferShapes.length !== shapes.length
      ? `${c.bufferShapes.length} momentum buffers, but the model has ${shapes.length} trainable weights`
      : c.bufferShapes.map((s, i) => (tf.util.arraysEqual(s, shapes[i]!) ? null : `buffer ${i} has shape [${s}], weight '${model.trainableWeights[i]!.name}' [${shapes[i]}]`)).find((m) => m);
  if (mismatch) {
    model.dispose();
    throw new Error(`${join(c.dir, 'optimizer.json')}: ${mismatch}`);
  }
  let at = 0;
  const buffers = c.bufferShapes.map((s) => {
    const n = s.reduce((a, b) => a * b, 1);
    at += n;
    return tf.tensor(c.buffers.subarray(at - n, at), s, 'float32');
  });
  return { model, buffers };
}

/** Options of {@link loadCheckpoint}. */
export interface LoadOptions {
  /** Throws to reject a candidate (the training loop checks its state against the data). */
  accept?: (state: CheckpointState, dir: string) => void;
  /** Told which checkpoint was used instead of a newer damaged one (default: a WARNING line on stderr). */
  warn?: (message: string) => void;
}

/**
 * Loads the newest valid checkpoint of a run folder (or of a checkpoint folder
 * itself). A damaged or rejected candidate is skipped, said through `warn`, and
 * listed in `skipped`. Throws when no candidate is valid, with every reason.
 */
export async function loadCheckpoint(path: string, opts: LoadOptions = {}): Promise<LoadedCheckpoint> {
  const candidates = checkpointFolders(path).filter((d) => existsSync(d));
  if (candidates.length === 0) {
    throw new Error(`no checkpoint in '${path}': expected ${join(checkpointDir(path), 'state.json')} (written by resnet-train train --out ${path})`);
  }
  const skipped: LoadedCheckpoint['skipped'] = [];
  for (const dir of candidates) {
    try {
      const contents = readCheckpointFolder(dir);
      opts.accept?.(contents.state, dir);
      const ck = { ...(await build(contents)), state: contents.state, dir, skipped };
      if (skipped.length > 0) {
        const note = `${skipped.map((s) => `skipped ${s.dir}: ${s.reason}`).join('; ')}; using ${dir} (epoch ${ck.state.epoch}, step ${ck.state.step})`;
        (opts.warn ?? ((m: string) => process.stderr.write(`WARNING: ${m}\n`)))(note);
      }
      return ck;
    } catch (e) {
      skipped.push({ dir, reason: (e as Error).message });
    }
  }
  throw new Error(`no valid checkpoint in '${path}': ${skipped.map((s) => s.reason).join('; ')}`);
}
