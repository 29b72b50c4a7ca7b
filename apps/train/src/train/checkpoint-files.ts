/**
 * Reading one checkpoint folder's files and proving them whole before any of
 * them reaches tfjs: state.json parsed and validated; every other file's size
 * and SHA-256 compared with what state.json recorded; model.json's weight
 * manifest agreeing with weights.bin, optimizer.json with optimizer.bin; the
 * topology safe to rebuild (topology-check.ts); and every weight and momentum
 * value finite. Each error names the file and says
 * what is wrong with it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { CHECKPOINT_FILES, type CheckpointFile, type CheckpointState, type FileRecord, parseState } from './checkpoint-state.js';
import { describeIssues } from './recipe.js';
import { checkTopology } from './topology-check.js';

/** A checkpoint folder's contents, parsed and validated. */
export interface CheckpointContents {
  /** The folder. */
  dir: string;
  /** Its state.json. */
  state: CheckpointState;
  /** model.json's `modelTopology`. */
  topology: object;
  /** model.json's weight manifest (names, shapes), in weights.bin order. */
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** weights.bin. */
  weights: Float32Array;
  /** Momentum buffer shapes from optimizer.json (null: no buffers). */
  bufferShapes: number[][] | null;
  /** optimizer.bin: the buffers, concatenated. */
  buffers: Float32Array;
}

const count = z.number().int().nonnegative().max(2 ** 31);
const shape = z.array(count).max(8);
const modelJsonSchema = z.object({
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z.tuple([
    z.object({
      paths: z.tuple([z.literal('weights.bin')]),
      weights: z.array(z.strictObject({ name: z.string(), shape, dtype: z.literal('float32') })),
    }),
  ]),
});
const optimizerJsonSchema = z.strictObject({ kind: z.literal('sgd'), shapes: z.array(shape).nullable() });

/** SHA-256 of `bytes`, hex. */
function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What state.json records of a file's bytes. */
export function fileRecord(bytes: Uint8Array): FileRecord {
  return { bytes: bytes.byteLength, sha256: sha256(bytes) };
}

function readChecked(dir: string, name: CheckpointFile, record: FileRecord | undefined): Uint8Array {
  const path = join(dir, name);
  if (!existsSync(path)) throw new Error(`${path}: missing`);
  const size = statSync(path).size;
  if (record && size !== record.bytes) throw new Error(`${path}: ${size} bytes, but state.json records ${record.bytes}`);
  const bytes = readFileSync(path);
  if (record && sha256(bytes) !== record.sha256) {
    throw new Error(`${path}: contents differ from the SHA-256 state.json records (the file is damaged)`);
  }
  return bytes;
}

function parseJson<T>(bytes: Uint8Array, path: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${path}: ${describeIssues(r.error)}`);
  return r.data;
}

const elements = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** float32 values of a file whose size must be exactly `expected` values. */
function floats(bytes: Uint8Array, path: string, expected: number, describedBy: string): Float32Array {
  if (bytes.byteLength !== expected * 4) {
    throw new Error(`${path}: ${bytes.byteLength} bytes, but ${describedBy} describes ${expected} float32 values (${expected * 4} bytes)`);
  }
  // A copy: Node's file buffers may start at an offset that is not a multiple of 4.
  return new Float32Array(Uint8Array.from(bytes).buffer);
}

/** Throws when a value is NaN/±Infinity, naming the tensor it belongs to. */
function checkFinite(values: Float32Array, path: string, names: string[], sizes: number[]): void {
  let bad = 0;
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (bad === 0) return;
  let k = 0;
  for (let at = sizes[0] ?? 0; first >= at && k < sizes.length - 1; at += sizes[++k]!);
  throw new Error(`${path}: ${bad} of ${values.length} values are NaN or ±Infinity (the first in ${names[k] ?? '?'})`);
}

/** Reads and validates the checkpoint in `dir`; throws an error naming the first bad file. */
export function readCheckpointFolder(dir: string): CheckpointContents {
  const statePath = join(dir, 'state.json');
  if (!existsSync(statePath)) throw new Error(`${statePath}: missing`);
  const state = parseState(readFileSync(statePath, 'utf8'), statePath);
  const bytes = {} as Record<CheckpointFile, Uint8Array>;
  for (const name of CHECKPOINT_FILES) bytes[name] = readChecked(dir, name, state.files?.[name]);

  const modelPath = join(dir, 'model.json');
  const modelJson = parseJson(bytes['model.json'], modelPath, modelJsonSchema);
  const specs = modelJson.weightsManifest[0].weights;
  const weights = floats(bytes['weights.bin'], join(dir, 'weights.bin'), specs.reduce((n, s) => n + elements(s.shape), 0), `${modelPath}'s weightsManifest`);
  checkFinite(weights, join(dir, 'weights.bin'), specs.map((s) => s.name), specs.map((s) => elements(s.shape)));
  checkTopology(modelJson.modelTopology, modelPath, weights.length);

  const optPath = join(dir, 'optimizer.json');
  const opt = parseJson(bytes['optimizer.json'], optPath, optimizerJsonSchema);
  const sizes = (opt.shapes ?? []).map(elements);
  const buffers = floats(bytes['optimizer.bin'], join(dir, 'optimizer.bin'), sizes.reduce((a, b) => a + b, 0), optPath);
  checkFinite(buffers, join(dir, 'optimizer.bin'), sizes.map((_, i) => `momentum buffer ${i}`), sizes);

  return { dir, state, topology: modelJson.modelTopology, weightSpecs: specs, weights, bufferShapes: opt.shapes, buffers };
}
