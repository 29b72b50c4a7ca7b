/**
 * The worker half of classifying off the main thread: `exposeClassifier()`
 * in a Web Worker answers the page's `loadClassifierInWorker` (`client.ts`,
 * the `@resnet/zoo/worker` entry). Models, downloads, decoding and inference
 * all run here; the page only posts images (bitmaps transferred) and gets
 * plain results back.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier, type Classifier, type ClassifierOptions } from '../classify/classifier.js';
import type { ClassifierInput } from '../classify/inputs.js';
import { registerPretrained } from '../models/pretrained.js';
import { getPretrained, listPretrained } from '../pretrained/table.js';
import { isProtocolMessage, PROTOCOL, type Tagged, type WorkerImage, type WorkerLoaded, type WorkerReply, type WorkerRequest } from './protocol.js';

/** The worker global this needs (`self` in a dedicated worker). */
export interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
}

function isBitmap(x: WorkerImage): x is ImageBitmap {
  return typeof ImageBitmap !== 'undefined' && x instanceof ImageBitmap;
}

/**
 * Serves classifiers to the page from this worker. Call it once in the
 * worker script, after importing a tfjs backend.
 *
 * @example
 * ```ts
 * // classify.worker.ts (bundled as a module worker)
 * import '@tensorflow/tfjs-backend-wasm';
 * import { exposeClassifier } from '@resnet/zoo';
 * exposeClassifier();
 * ```
 */
export function exposeClassifier(scope: WorkerScope = globalThis as unknown as WorkerScope): void {
  const classifiers = new Map<number, Classifier>();
  let next = 1;
  const post = (m: WorkerReply, transfer?: Transferable[]) =>
    (scope.postMessage as (m: unknown, t?: Transferable[]) => void)({ ...m, protocol: PROTOCOL } satisfies Tagged<WorkerReply>, transfer);

  async function handle(req: WorkerRequest): Promise<unknown> {
    switch (req.type) {
      case 'ping':
        return null;
      case 'load': {
        const { backend, entry, dtype, fuse, download } = req.options;
        if (entry && !listPretrained().includes(req.tag)) registerPretrained(req.tag, entry);
        else if (entry && JSON.stringify(getPretrained(req.tag)) !== JSON.stringify(entry)) {
          throw new Error(`loadClassifierInWorker: tag '${req.tag}' is already registered in the worker with another entry`);
        }
        // The backend starts while the weights are read (loadClassifier's backendReady).
        const backendReady = (async () => {
          if (backend && tf.getBackend() !== backend && !(await tf.setBackend(backend))) {
            throw new Error(`loadClassifierInWorker: the worker could not start the tfjs backend '${backend}'; import it in the worker script`);
          }
          await tf.ready();
        })();
        backendReady.catch(() => {}); // loadClassifier awaits and throws it
        const opts: ClassifierOptions = {
          download: { ...download, onStatus: (e) => post({ id: req.id, type: 'progress', event: e }) },
          ...(dtype !== undefined ? { dtype } : {}),
          ...(fuse !== undefined ? { fuse } : {}),
          backendReady,
        };
        const clf = await loadClassifier(req.tag, opts);
        const h = next++;
        classifiers.set(h, clf);
        return { handle: h, backend: tf.getBackend(), labels: clf.labels } satisfies WorkerLoaded;
      }
      case 'classify': {
        const clf = classifiers.get(req.handle);
        try {
          if (!clf) throw new Error('classify: this classifier was disposed');
          const inputs = req.images as ClassifierInput[];
          return req.single ? await clf.classify(inputs[0]!, req.options) : await clf.classify(inputs, req.options);
        } finally {
          for (const x of req.images) if (isBitmap(x)) x.close();
        }
      }
      case 'dispose':
        classifiers.get(req.handle)?.dispose();
        classifiers.delete(req.handle);
        return null;
    }
  }

  scope.addEventListener('message', (e) => {
    if (!isProtocolMessage(e.data)) return;
    const req = e.data as unknown as WorkerRequest;
    handle(req).then(
      (value) => post({ id: req.id, type: 'result', value }),
      (err: unknown) => post({ id: req.id, type: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
  });
  post({ type: 'ready' });
}
