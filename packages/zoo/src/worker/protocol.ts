/**
 * The messages between a page and a classifier in a Web Worker
 * (`client.ts` on the page, `expose.ts` in the worker). Everything here is
 * structured-clonable; `ImageBitmap`s are transferred, not copied.
 */
import type { PretrainedEntry } from '../pretrained/table.js';
import type { WeightDtype } from '../spec/weights.js';

/** One image as it crosses to the worker: a bitmap, RGBA/RGB pixels, an absolute URL, or encoded bytes. */
export type WorkerImage = ImageBitmap | { data: Uint8ClampedArray | Uint8Array; width: number; height: number } | string | Uint8Array | ArrayBuffer;

/** What the page may ask the worker to do when it loads a classifier. */
export interface WorkerLoadOptions {
  /** tfjs backend to use in the worker (`tf.setBackend`), e.g. `'wasm'` or `'webgl'`. Default: the worker's current one. */
  backend?: string;
  /** A pretrained entry to register under the tag in the worker first (your own weights). */
  entry?: PretrainedEntry;
  /** Which file of the weights (`'fp32'`, `'fp16'`, `'q8'`), as in `loadClassifier`. */
  dtype?: WeightDtype;
  /** Fuse the model for inference, as in `loadClassifier` (default true). */
  fuse?: boolean;
  /** Download settings that can cross threads (no callbacks, no cache object). */
  download?: { offline?: boolean; revision?: string; requireVerified?: boolean; force?: boolean; stallTimeoutMs?: number; retries?: number; verifyCached?: boolean };
}

/** Page → worker. */
export type WorkerRequest =
  | { id: number; type: 'ping' }
  | { id: number; type: 'load'; tag: string; options: WorkerLoadOptions }
  | { id: number; type: 'classify'; handle: number; images: WorkerImage[]; single: boolean; options: { topK?: number; batchSize?: number } }
  | { id: number; type: 'dispose'; handle: number };

/** What a `load` request resolves to. */
export interface WorkerLoaded {
  /** Names the classifier in later requests. */
  handle: number;
  /** The tfjs backend the worker computes on. */
  backend: string;
  /** Class names, one per output. */
  labels: readonly string[];
}

/** Worker → page: `ready` once listening; per request, any number of `progress`, then one `result` or `error`. */
export type WorkerReply =
  | { type: 'ready' }
  | { id: number; type: 'progress'; event: unknown }
  | { id: number; type: 'result'; value: unknown }
  | { id: number; type: 'error'; message: string };

/** Marks the zoo's messages among whatever else a page and its worker post (`protocol` field of every message). */
export const PROTOCOL = '@resnet/zoo/worker@1';

/** A message of this protocol, as posted. */
export type Tagged<T> = T & { protocol: typeof PROTOCOL };

/** True when `data` is a message of this protocol. */
export function isProtocolMessage(data: unknown): data is Tagged<Record<string, unknown>> {
  return typeof data === 'object' && data !== null && (data as { protocol?: unknown }).protocol === PROTOCOL;
}
