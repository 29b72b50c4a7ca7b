/**
 * tfjs LayersModel weights (model.json + binary shards) from a file path, a
 * directory, an http(s) URL, or any `tf.io.IOHandler`. Plain tfjs in Node cannot
 * read `file://`, so local files go through our own reader. Weights are matched
 * by their saved names (`<layer>/<weight>`), which a model built by this zoo
 * shares with the one that was saved.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { applyWeights, type SourceTensor, type WeightTarget } from './apply.js';
import type { LoadReport } from './report.js';
import { classifierLayerName } from './names/torchvision.js';
import { platform } from '#platform';
import { byteSize, checkWeightSpecs, parseModelJson, shardUrl, type ModelJson } from './tfjs-manifest.js';
import type { FetchLike } from '../net/fetch.js';
import { fetchBytes } from '../net/transfer.js';

/**
 * Reads model.json and its shards from the local disk (path to the JSON or its folder). Node only.
 *
 * @example
 * ```ts
 * const model = await tf.loadLayersModel(fileIOHandler('runs/resnet20/checkpoint/model.json'));
 * ```
 */
export function fileIOHandler(path: string): tf.io.IOHandler {
  return {
    load: async () => {
      let jsonPath = path;
      try {
        if (await platform.isDirectory(path)) jsonPath = platform.joinPath(path, 'model.json');
      } catch (e) {
        throw new Error(`cannot read tfjs model '${path}': ${(e as Error).message}`);
      }
      const json = parseModelJson(await platform.readFile(jsonPath), jsonPath);
      const dir = platform.dirname(jsonPath);
      const shards = await Promise.all(shardPaths(json).map((p) => platform.readFile(platform.joinPath(dir, p))));
      return toArtifacts(json, shards);
    },
  };
}

/**
 * Fetches model.json and its shards over http(s); shards must lie in the JSON's folder on its origin.
 *
 * @example
 * ```ts
 * const net = createModel('resnet20');
 * await loadWeights(net, httpIOHandler('https://example.com/resnet20/model.json'), { from: 'tfjs' });
 * ```
 */
export function httpIOHandler(url: string, fetchImpl?: FetchLike): tf.io.IOHandler {
  return {
    load: async () => {
      const json = parseModelJson(await fetchBytes(url, fetchImpl), url);
      const urls = shardPaths(json).map((p) => shardUrl(p, url));
      const shards = await Promise.all(urls.map((u) => fetchBytes(u, fetchImpl)));
      return toArtifacts(json, shards);
    },
  };
}

function shardPaths(json: ModelJson): string[] {
  return json.weightsManifest.flatMap((g) => g.paths);
}

function toArtifacts(json: ModelJson, shards: Uint8Array[]): tf.io.ModelArtifacts {
  const total = shards.reduce((a, s) => a + s.byteLength, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const s of shards) {
    data.set(s, off);
    off += s.byteLength;
  }
  return {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: data.buffer,
  };
}

/** Loads the weights of an IOHandler's artifacts into `model`, matched by saved weight names. */
export async function loadTfjsWeights(model: LayersModel, handler: tf.io.IOHandler, opts: { strict: boolean; allowNonFinite?: boolean }): Promise<LoadReport> {
  if (!handler.load) throw new Error('the tfjs IOHandler has no load() method');
  const art = await handler.load();
  if (!art.weightSpecs || art.weightData == null) throw new Error('the tfjs model has no weights (weightSpecs/weightData missing)');
  checkWeightSpecs(art.weightSpecs, 'weights of the tfjs IOHandler');
  const data = new Uint8Array(
    Array.isArray(art.weightData) ? tf.io.concatenateArrayBuffers(art.weightData) : (art.weightData as ArrayBuffer),
  );
  const need = art.weightSpecs.reduce((a, s) => a + byteSize(s), 0);
  if (data.byteLength < need) {
    throw new Error(`invalid tfjs weights: the manifest describes ${need} bytes but the shards hold ${data.byteLength} (missing or truncated shard?)`);
  }
  const decoded = tf.io.decodeWeights(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength), art.weightSpecs);
  const source = new Map<string, SourceTensor>();
  for (const spec of art.weightSpecs) {
    const t = decoded[spec.name]!;
    source.set(spec.name, { shape: spec.shape, read: () => Float32Array.from(t.dataSync() as ArrayLike<number>) });
  }
  const classifier = classifierLayerName(model);
  const targets: WeightTarget[] = model.layers.flatMap((layer) =>
    layer.weights.map((v) => ({
      key: v.originalName,
      variable: v,
      sourceShape: v.shape as number[],
      toTfjs: (x: Float32Array) => x,
      classifier: layer.name === classifier,
    })),
  );
  try {
    return applyWeights(targets, source, {
      strict: opts.strict,
      allowNonFinite: opts.allowNonFinite,
      isClassifierKey: (k) => k.startsWith(`${classifier ?? 'fc'}/`),
    });
  } finally {
    tf.dispose(Object.values(decoded));
  }
}
