/**
 * The page half of classifying off the main thread (the `@resnet/zoo/worker`
 * entry): `loadClassifierInWorker(worker, tag)` drives a worker that called
 * `exposeClassifier()`. This module imports neither tfjs nor the zoo, so a
 * page that classifies only through a worker bundles a few kilobytes, and
 * the main thread keeps painting while the worker downloads, decodes and runs
 * the model.
 */
import { isProtocolMessage, PROTOCOL, type Tagged, type WorkerImage, type WorkerLoaded, type WorkerLoadOptions, type WorkerReply, type WorkerRequest } from './protocol.js';
import type { Classification, ClassifyOptions } from '../classify/classifier.js';
import type { DownloadEvent } from '../pretrained/download.js';

/** Images the page can hand to a worker classifier. */
export type WorkerClassifierInput =
  | ImageBitmap
  | ImageData
  | HTMLImageElement
  | HTMLCanvasElement
  | HTMLVideoElement
  | OffscreenCanvas
  | VideoFrame
  | Blob
  | string
  | URL
  | Uint8Array
  | ArrayBuffer;

/** Options of {@link loadClassifierInWorker}. */
export interface WorkerClassifierOptions extends WorkerLoadOptions {
  /** Called with each download status event in the worker (initiate, cached, download, progress, retry, done; see `DownloadEvent`). */
  onStatus?: (event: DownloadEvent) => void;
}

/** Options of {@link WorkerClassifier.classify}. */
export interface WorkerClassifyOptions extends ClassifyOptions {
  /**
   * Transfer the `ImageBitmap`s you pass (they are closed for you afterwards,
   * no copy is made). Default true; false sends copies and leaves yours open.
   */
  transfer?: boolean;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (e: unknown) => void };

/** One worker's connection: request ids, pending replies, readiness. */
class Channel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  readonly ready: Promise<void>;

  constructor(private readonly worker: Worker) {
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    worker.addEventListener('message', (e: MessageEvent) => {
      if (!isProtocolMessage(e.data)) return;
      const m = e.data as unknown as WorkerReply;
      if (m.type === 'ready') return markReady();
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') return p.onProgress?.(m.event);
      this.pending.delete(m.id);
      markReady();
      if (m.type === 'result') p.resolve(m.value);
      else p.reject(new Error(m.message));
    });
    worker.addEventListener('error', (e: ErrorEvent) => {
      const err = new Error(`the classifier worker failed: ${e.message || 'error while loading or running the worker script'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
    // A worker that was listening before we were sees this ping and answers it.
    void this.send({ type: 'ping' }, [], undefined, false);
  }

  send(req: DistributiveOmit<WorkerRequest, 'id'>, transfer: Transferable[], onProgress?: (e: unknown) => void, waitReady = true): Promise<unknown> {
    const id = this.nextId++;
    const go = () =>
      new Promise<unknown>((resolve, reject) => {
        this.pending.set(id, { resolve, reject, onProgress });
        this.worker.postMessage({ ...req, id, protocol: PROTOCOL } as Tagged<WorkerRequest>, transfer);
      });
    return waitReady ? this.ready.then(go) : go();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const channels = new WeakMap<Worker, Channel>();

function channelOf(worker: Worker): Channel {
  let c = channels.get(worker);
  if (!c) channels.set(worker, (c = new Channel(worker)));
  return c;
}

const is = (name: string, x: unknown) => {
  const C = (globalThis as Record<string, unknown>)[name];
  return typeof C === 'function' && x instanceof (C as new () => unknown);
};

/** One input as it crosses: bitmaps (made from elements), pixels, absolute URLs or bytes. */
async function toWorkerImage(x: WorkerClassifierInput, transfer: boolean, list: Transferable[], owned: ImageBitmap[]): Promise<WorkerImage> {
  if (is('ImageBitmap', x)) {
    if (transfer) list.push(x as ImageBitmap);
    return x as ImageBitmap;
  }
  if (typeof x === 'string' || x instanceof URL) return new URL(String(x), globalThis.location?.href).href;
  if (x instanceof Uint8Array || x instanceof ArrayBuffer) return x;
  if (is('ImageData', x)) {
    const d = x as ImageData;
    return { data: d.data, width: d.width, height: d.height };
  }
  if (['HTMLImageElement', 'HTMLCanvasElement', 'HTMLVideoElement', 'OffscreenCanvas', 'VideoFrame', 'Blob'].some((n) => is(n, x))) {
    if (is('HTMLImageElement', x) && !(x as HTMLImageElement).complete) await (x as HTMLImageElement).decode();
    const bitmap = await createImageBitmap(x as ImageBitmapSource);
    owned.push(bitmap);
    list.push(bitmap);
    return bitmap;
  }
  throw new Error(
    `classify (worker): unsupported input ${Object.prototype.toString.call(x)}; pass an ImageBitmap, ImageData, an image / canvas / video / ` +
      'OffscreenCanvas / VideoFrame / Blob, a URL, or encoded bytes (tensors stay on the thread that made them)',
  );
}

/**
 * A classifier running in a Web Worker; from {@link loadClassifierInWorker}.
 * Its `classify` takes what a page has (images, canvases, bitmaps, URLs) and
 * resolves to the same results `Classifier.classify` gives.
 */
export class WorkerClassifier {
  /**
   * @param channel - the worker connection
   * @param loaded - what the worker reported after loading
   */
  private constructor(
    private readonly channel: Channel,
    private readonly loaded: WorkerLoaded,
  ) {}

  /** @internal */
  static async load(worker: Worker, tag: string, opts: WorkerClassifierOptions): Promise<WorkerClassifier> {
    const { onStatus, ...options } = opts;
    const channel = channelOf(worker);
    const loaded = (await channel.send({ type: 'load', tag, options }, [], onStatus as ((e: unknown) => void) | undefined)) as WorkerLoaded;
    return new WorkerClassifier(channel, loaded);
  }

  /** The tfjs backend the worker computes on (e.g. `'wasm'`). */
  get backend(): string {
    return this.loaded.backend;
  }

  /** Class names, one per output. */
  get labels(): readonly string[] {
    return this.loaded.labels;
  }

  /** The `topK` most likely classes of an image (of each image for an array), computed in the worker. */
  classify(inputs: WorkerClassifierInput[], opts?: WorkerClassifyOptions): Promise<Classification[][]>;
  classify(input: WorkerClassifierInput, opts?: WorkerClassifyOptions): Promise<Classification[]>;
  async classify(input: WorkerClassifierInput | WorkerClassifierInput[], opts: WorkerClassifyOptions = {}): Promise<Classification[] | Classification[][]> {
    const { transfer = true, ...options } = opts;
    const single = !Array.isArray(input);
    const list: Transferable[] = [];
    const owned: ImageBitmap[] = [];
    try {
      const images = await Promise.all((single ? [input] : input).map((x) => toWorkerImage(x, transfer, list, owned)));
      return (await this.channel.send({ type: 'classify', handle: this.loaded.handle, images, single, options }, list)) as Classification[] | Classification[][];
    } finally {
      for (const b of owned) b.close();
    }
  }

  /** Frees the model in the worker (the worker itself stays yours to `terminate()`). */
  async dispose(): Promise<void> {
    await this.channel.send({ type: 'dispose', handle: this.loaded.handle }, []);
  }
}

/**
 * Loads pretrained classifier `tag` in `worker`, a Web Worker whose script
 * called `exposeClassifier()` from `@resnet/zoo`. Download progress, the
 * cache, decoding and inference all happen in the worker.
 *
 * @example
 * ```ts
 * import { loadClassifierInWorker } from '@resnet/zoo/worker';
 * const worker = new Worker(new URL('./classify.worker.js', import.meta.url), { type: 'module' });
 * const clf = await loadClassifierInWorker(worker, 'resnet50.tv2_in1k', { onStatus: (e) => console.log(e.status) });
 * const top5 = await clf.classify(await createImageBitmap(file)); // the bitmap is transferred
 * ```
 */
export function loadClassifierInWorker(worker: Worker, tag: string, opts: WorkerClassifierOptions = {}): Promise<WorkerClassifier> {
  return WorkerClassifier.load(worker, tag, opts);
}
