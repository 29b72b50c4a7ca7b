/**
 * The outcome of a weight load, and the error a strict load throws. Shaped after
 * PyTorch's `load_state_dict` result (missing / unexpected keys) plus the shape
 * mismatches and skipped classifier keys that timm reports.
 */

/** One key whose shape in the file differs from the model's. */
export interface ShapeMismatch {
  /** Key in the source's naming convention. */
  key: string;
  /** Shape the model needs (in the source's layout). */
  expected: number[];
  /** Shape the file holds. */
  got: number[];
}

/** What a load did (or, for a failed strict load, would have had to do). */
export interface LoadReport {
  /** True when every model weight was loaded and nothing in the file was left over. */
  ok: boolean;
  /** Keys whose values were written into the model. */
  loaded: string[];
  /** Model weights the file does not provide (they keep their current values). */
  missing: string[];
  /** File entries that match no model weight. */
  unexpected: string[];
  /** Keys present on both sides with different shapes. */
  mismatched: ShapeMismatch[];
  /** Classifier keys deliberately not loaded (the class count differs, or the model has no top). */
  skipped: string[];
  /** File entries that carry no weight by design (e.g. `num_batches_tracked`). */
  ignored: string[];
  /** Human-readable notes, e.g. why the classifier was skipped. */
  notes: string[];
}

/**
 * Thrown by a strict load that found problems; the model was not changed.
 *
 * @example
 * ```ts
 * try {
 *   await loadWeights(createModel('resnet18'), 'resnet50.safetensors', { from: 'torchvision' });
 * } catch (e) {
 *   if (e instanceof WeightLoadError) console.log(e.report.missing, e.report.unexpected, e.report.mismatched);
 * }
 * ```
 */
export class WeightLoadError extends Error {
  /** The full report: every missing, unexpected and mismatched key. */
  readonly report: LoadReport;

  /** @param report - The report of the failed load. */
  constructor(report: LoadReport) {
    super(formatFailure(report));
    this.name = 'WeightLoadError';
    this.report = report;
  }
}

function list(keys: string[], max = 20): string {
  const shown = keys.slice(0, max).join(', ');
  return keys.length > max ? `${shown}, … (${keys.length - max} more)` : shown;
}

function formatFailure(r: LoadReport): string {
  const parts = ['strict weight load failed; the model was left unchanged.'];
  if (r.missing.length) parts.push(`missing ${r.missing.length} key(s): ${list(r.missing)}`);
  if (r.unexpected.length) parts.push(`unexpected ${r.unexpected.length} key(s): ${list(r.unexpected)}`);
  if (r.mismatched.length) {
    const m = r.mismatched.map((x) => `${x.key} (model [${x.expected.join(', ')}], file [${x.got.join(', ')}])`);
    parts.push(`shape mismatch in ${m.length} key(s): ${list(m)}`);
  }
  parts.push('Pass { strict: false } to load what matches and get this report back.');
  return parts.join('\n  ');
}
