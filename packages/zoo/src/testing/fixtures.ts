import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { writeSafetensors, type SafetensorsTensor } from '../safetensors/write.js';
import type { SafetensorsDtype } from '../safetensors/dtype.js';
import { formulaInputNCHW, formulaTensor, nchwToNhwc } from './formula.js';

/** Absolute path of a file under tools/fixtures/zoo (written by make_fixtures.py). */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../../../tools/fixtures/zoo/${name}`, import.meta.url));
}

/** Parsed JSON fixture. */
export function readFixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}

/** One golden model of golden.json. */
export interface GoldenModel {
  input: number[];
  keys: Array<[string, number[]]>;
  logits: Record<string, number[][]>;
}

/** The formula state dict for torchvision keys. */
export function formulaState(keys: Array<[string, number[]]>): Map<string, { shape: number[]; data: Float32Array }> {
  return new Map(keys.map(([k, shape]) => [k, { shape, data: formulaTensor(k, shape) }]));
}

/** A state dict as safetensors bytes, floats stored as `dtype` (counters as I64). */
export function stateToSafetensors(state: Map<string, { shape: number[]; data: Float32Array }>, dtype: SafetensorsDtype = 'F32'): Uint8Array {
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [k, t] of state) tensors.set(k, { ...t, dtype: k.endsWith('num_batches_tracked') ? 'I64' : dtype });
  return writeSafetensors(tensors, { format: 'pt' });
}

/** The formula state dict for torchvision keys, as safetensors bytes of `dtype`. */
export function formulaSafetensors(keys: Array<[string, number[]]>, dtype: SafetensorsDtype = 'F32'): Uint8Array {
  return stateToSafetensors(formulaState(keys), dtype);
}

/** Runs the model on the fixed formula input (given NCHW like PyTorch) and returns the logits. */
export function predictFormulaInput(model: LayersModel, nchw: number[]): number[][] {
  const [n, c, h, w] = nchw as [number, number, number, number];
  const x = tf.tensor4d(nchwToNhwc(formulaInputNCHW(nchw), nchw), [n, h, w, c]);
  const y = model.predict(x) as tf.Tensor;
  const out = y.arraySync() as number[][];
  x.dispose();
  y.dispose();
  return out;
}
