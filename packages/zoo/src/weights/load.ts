/** `loadWeights`: one entry point for every supported weight format. */
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { platform } from '#platform';
import { kerasReader } from './keras-reader.js';
import type { FetchLike } from '../net/fetch.js';
import type { DownloadProgress } from '../net/transfer.js';
import type { WeightFormat } from '../spec/weights.js';
import type { LoadReport } from './report.js';
import { readSource, type WeightSource } from './source.js';
import { fileIOHandler, httpIOHandler, loadTfjsWeights } from './tfjs.js';
import { loadTorchStateDict } from './state-dict.js';

/** Options of {@link loadWeights}. */
export interface LoadWeightsOptions {
  /**
   * - `'torchvision'` / `'timm'`: a PyTorch state dict in safetensors;
   * - `'keras'`: Keras applications HDF5 weights (for `variant: 'v1'` models; needs `import '@resnet/zoo/keras'`);
   * - `'tfjs'`: a tfjs model.json + shards (path, folder, URL or IOHandler).
   */
  from: WeightFormat;
  /** Fail (changing nothing) unless every key matches. Default true. */
  strict?: boolean;
  /**
   * Load NaN / ±Inf values. Default false: a file holding any is refused,
   * naming each tensor and its count, and nothing is loaded. BatchNorm moving
   * variances below zero are refused either way.
   */
  allowNonFinite?: boolean;
  /** Aborts a download of `source`. */
  signal?: AbortSignal;
  /** fetch used for URLs (default the global fetch). */
  fetch?: FetchLike;
  /** Called as a download advances (safetensors and Keras URLs). */
  onProgress?: (p: DownloadProgress) => void;
}

const FORMATS: readonly WeightFormat[] = ['torchvision', 'timm', 'keras', 'tfjs'];

function isIOHandler(x: unknown): x is tf.io.IOHandler {
  return typeof x === 'object' && x !== null && typeof (x as tf.io.IOHandler).load === 'function';
}

/**
 * Loads weights into `model` and reports what matched. Strict by default: any
 * missing, unexpected or shape-mismatched key throws a {@link WeightLoadError}
 * listing all of them, and the model is unchanged. A classifier with another
 * class count is skipped (and reported) rather than failing, as timm does.
 *
 * @example
 * ```ts
 * const model = createModel('resnet18');
 * const report = await loadWeights(model, 'resnet18.safetensors', { from: 'torchvision' }); // a path, URL or bytes
 * report.loaded.length; // every tensor; a strict load that finds problems throws a WeightLoadError instead
 * await loadWeights(createModel('resnet18', { numClasses: 10 }), 'resnet18.safetensors', { from: 'torchvision' }); // fc skipped, reported
 * ```
 */
export async function loadWeights(
  model: LayersModel,
  source: WeightSource | tf.io.IOHandler,
  opts: LoadWeightsOptions,
): Promise<LoadReport> {
  if (!opts || !FORMATS.includes(opts.from)) {
    throw new Error(`loadWeights: 'from' must be one of ${FORMATS.join(', ')}; got ${JSON.stringify(opts?.from)}`);
  }
  const strict = opts.strict ?? true;
  const allowNonFinite = opts.allowNonFinite ?? false;
  if (opts.from === 'tfjs') {
    let handler: tf.io.IOHandler;
    if (isIOHandler(source)) handler = source;
    else if (typeof source === 'string' || source instanceof URL) {
      const where = platform.locate(source);
      handler = where.path !== undefined ? fileIOHandler(where.path) : httpIOHandler(where.url, opts.fetch);
    } else {
      throw new Error("loadWeights(from: 'tfjs'): pass a model.json path or folder, a URL, or a tf.io.IOHandler (e.g. tf.io.fromMemory), not raw bytes");
    }
    return loadTfjsWeights(model, handler, { strict, allowNonFinite });
  }
  if (isIOHandler(source)) throw new Error(`loadWeights(from: '${opts.from}'): IOHandlers are for from: 'tfjs'; pass a path, URL or bytes`);
  const bytes = await readSource(source, { fetch: opts.fetch, onProgress: opts.onProgress, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (opts.from === 'keras') return kerasReader("loadWeights(from: 'keras')")(model, bytes, { strict, allowNonFinite });
  return loadTorchStateDict(model, bytes, { strict, from: opts.from, allowNonFinite });
}
