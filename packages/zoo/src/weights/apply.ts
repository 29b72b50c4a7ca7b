/**
 * The one place weights are matched and written: every loader turns its file
 * into named source tensors and the model into named targets, and this module
 * decides what loads. Nothing is written until every value has been decoded,
 * converted, checked and made a tensor, so a failure leaves the model exactly
 * as it was.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';
import { WeightLoadError, type LoadReport } from './report.js';

/** A model weight as a loader sees it, in the source's naming and layout. */
export interface WeightTarget {
  /** Key in the source's naming convention (e.g. `layer1.0.conv1.weight`). */
  key: string;
  /** The tfjs variable that receives the value. */
  variable: LayerVariable;
  /** The shape the source must hold (source layout). */
  sourceShape: number[];
  /**
   * Converts source-layout values to the variable's layout: into `out` when
   * given (as long as `values`), else into a new array; or returns `values`
   * itself when the layouts agree.
   */
  toTfjs: (values: Float32Array, out?: Float32Array) => Float32Array;
  /** True for the classifier's weights (skipped when the class count differs). */
  classifier?: boolean;
}

/** A tensor in a weight file, decoded on demand. */
export interface SourceTensor {
  /** Shape in the source's layout. */
  shape: number[];
  /** Decodes the values to float32 (a view over `viewOf` when that is set). */
  read: () => Float32Array;
  /**
   * The buffer of the file's bytes when `read` may return a view over it (no
   * copy): the values are then copied before a tensor keeps them, so that the
   * model never shares memory with the caller's bytes.
   */
  viewOf?: ArrayBufferLike;
}

/** Matching rules for {@link applyWeights}. */
interface ApplyOptions {
  /** Throw (and change nothing) unless the match is complete. */
  strict: boolean;
  /** File keys that carry no weight by design. */
  ignore?: (key: string) => boolean;
  /** File keys that belong to a classifier (skipped if the model has none). */
  isClassifierKey?: (key: string) => boolean;
  /** Load NaN / ±Inf values instead of refusing the file. Default false. */
  allowNonFinite?: boolean;
}

/** How many NaN and ±Inf values `v` holds. */
function nonFinite(v: Float32Array): { nan: number; inf: number } {
  // Fast pass without branches: 0 × a finite value is ±0, 0 × NaN or ±Inf is NaN, and a
  // sum with one NaN in it stays NaN. Only a tensor that fails it is counted value by value.
  let probe = 0;
  for (let i = 0; i < v.length; i++) probe += v[i]! * 0;
  if (probe === 0) return { nan: 0, inf: 0 };
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x !== x) nan++;
    else if (x === Infinity || x === -Infinity) inf++;
  }
  return { nan, inf };
}

/** `"'a' (3 NaN), 'b' (1 ±Inf)"`, the first ten, then how many more. */
function listed(items: string[]): string {
  return items.slice(0, 10).join(', ') + (items.length > 10 ? `, and ${items.length - 10} more` : '');
}

/** What {@link ValueCheck.add} found wrong, tensor by tensor. */
class ValueCheck {
  readonly bad: string[] = [];
  readonly negative: string[] = [];
  constructor(private readonly allowNonFinite: boolean) {}

  /**
   * Notes the values no trained network holds: NaN / ±Inf anywhere (unless
   * `allowNonFinite`), and a BatchNorm moving variance below zero (always: its
   * square root is NaN).
   */
  add(t: WeightTarget, v: Float32Array): void {
    if (!this.allowNonFinite) {
      const { nan, inf } = nonFinite(v);
      if (nan || inf) this.bad.push(`'${t.key}' (${[nan ? `${nan} NaN` : '', inf ? `${inf} ±Inf` : ''].filter(Boolean).join(', ')})`);
    }
    if (t.variable.originalName.endsWith('moving_variance')) {
      let n = 0;
      for (let j = 0; j < v.length; j++) if (v[j]! < 0) n++;
      if (n) this.negative.push(`'${t.key}' (${n} of ${v.length})`);
    }
  }

  /** Throws what was found, naming the tensors, out of `total`. */
  throwIfAny(total: number): void {
    if (this.bad.length) {
      throw new Error(
        `invalid weights: non-finite values in ${this.bad.length} of ${total} tensors: ${listed(this.bad)}; nothing was loaded ` +
          '(pass allowNonFinite: true to load them anyway)',
      );
    }
    if (this.negative.length) {
      throw new Error(`invalid weights: BatchNorm running variances below zero in ${this.negative.length} tensors: ${listed(this.negative)}; nothing was loaded`);
    }
  }
}

/**
 * Whether the active backend copies a tensor's values when the tensor is made
 * (tfjs' wasm backend writes them into its heap at once; cpu and webgl keep the
 * array): then one scratch array serves every conversion, and a load leaves no
 * model-sized garbage behind for the JS collector (which may not run for a long
 * time, while the process' resident memory carries it).
 */
function backendCopiesValues(): boolean {
  return tf.getBackend() === 'wasm';
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Matches `source` against `targets`, reports, and (unless strict fails) writes. */
export function applyWeights(
  targets: WeightTarget[],
  source: Map<string, SourceTensor>,
  opts: ApplyOptions,
): LoadReport {
  const byKey = new Map(targets.map((t) => [t.key, t]));
  const report: LoadReport = {
    ok: false,
    loaded: [],
    missing: [],
    unexpected: [],
    mismatched: [],
    skipped: [],
    ignored: [],
    notes: [],
  };
  const plan: Array<[WeightTarget, SourceTensor]> = [];
  const covered = new Set<string>();
  const hasClassifier = targets.some((t) => t.classifier);
  let classifierMismatch = false;
  for (const [key, src] of source) {
    if (opts.ignore?.(key)) {
      report.ignored.push(key);
      continue;
    }
    const t = byKey.get(key);
    if (!t) {
      if (!hasClassifier && opts.isClassifierKey?.(key)) report.skipped.push(key);
      else report.unexpected.push(key);
      continue;
    }
    covered.add(key);
    if (!sameShape(t.sourceShape, src.shape)) {
      if (t.classifier) {
        report.skipped.push(key);
        classifierMismatch = true;
      } else {
        report.mismatched.push({ key, expected: t.sourceShape, got: src.shape });
      }
      continue;
    }
    plan.push([t, src]);
  }
  for (const t of targets) if (!covered.has(t.key)) report.missing.push(t.key);
  if (classifierMismatch) {
    // A classifier with another class count is expected in transfer learning
    // (timm does the same): keep the model's own head, load everything else.
    for (const t of targets) if (t.classifier && !report.skipped.includes(t.key) && covered.has(t.key)) {
      report.skipped.push(t.key);
      const i = plan.findIndex(([p]) => p.key === t.key);
      if (i >= 0) plan.splice(i, 1);
    }
    report.notes.push(
      `classifier not loaded (${report.skipped.join(', ')}): the file's shapes are for another number of classes; the model keeps its own head`,
    );
  } else if (report.skipped.length) {
    report.notes.push(`classifier keys skipped (${report.skipped.join(', ')}): the model has no classifier (includeTop: false)`);
  }
  report.ok = !report.missing.length && !report.unexpected.length && !report.mismatched.length;
  if (opts.strict && !report.ok) throw new WeightLoadError(report);

  // Decode, convert, check and make every tensor before touching the model.
  const size = (t: WeightTarget) => t.variable.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
  const copies = backendCopiesValues();
  const scratch = copies ? new Float32Array(plan.reduce((most, [t]) => Math.max(most, size(t)), 0)) : undefined;
  const check = new ValueCheck(opts.allowNonFinite ?? false);
  const tensors: tf.Tensor[] = [];
  try {
    for (const [t, src] of plan) {
      const raw = src.read();
      let v = t.toTfjs(raw, scratch?.subarray(0, raw.length));
      // A value still over the file's bytes is copied once, unless the backend copies it anyway.
      if (!copies && src.viewOf !== undefined && v.buffer === src.viewOf) v = v.slice();
      const n = size(t);
      if (v.length !== n) {
        throw new Error(`internal: '${t.key}' converted to ${v.length} values, variable ${t.variable.name} holds ${n}`);
      }
      check.add(t, v);
      tensors.push(tf.tensor(v, t.variable.shape as number[], 'float32'));
    }
    check.throwIfAny(plan.length);
  } catch (e) {
    tf.dispose(tensors);
    throw e;
  }
  plan.forEach(([t], i) => {
    t.variable.write(tensors[i]!);
    tensors[i]!.dispose();
    report.loaded.push(t.key);
  });
  return report;
}
