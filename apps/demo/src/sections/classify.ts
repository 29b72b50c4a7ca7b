// Section 7: classify a photo with ResNet-50 (torchvision's V2 weights) in a Web
// Worker: a progress bar while the weights download (or "from the cache"), the
// backend named, the top-5. `?hub=<origin>` takes the weights from a Hub-like
// server at that origin instead of huggingface.co (the e2e test's stand-in weights).
import { loadClassifierInWorker, type WorkerClassifier } from '@resnet/zoo/worker';
import { $, el } from '../dom.js';

const TAG = 'resnet50.tv2_in1k';

/** The tag to load and, with `?hub=`, the stand-in entry the worker registers for it. */
async function weightsChoice(): Promise<{ tag: string; entry?: import('@resnet/zoo').PretrainedEntry }> {
  const hub = new URLSearchParams(location.search).get('hub');
  if (!hub) return { tag: TAG };
  const { getPretrained } = await import('@resnet/zoo');
  const entry = getPretrained(TAG);
  const url = `${new URL(hub).origin}/timm/${TAG}/resolve/main/model.safetensors`;
  return { tag: 'resnet50.hub_standin', entry: { ...entry, source: { url, format: entry.source.format, sha256: null } } };
}

export async function initClassify(): Promise<void> {
  const button = $<HTMLButtonElement>('#classify-load');
  const progress = $<HTMLProgressElement>('#classify-progress');
  const status = $('#classify-status');
  const photo = $<HTMLImageElement>('#classify-photo');
  const list = $('#classify-top5');
  let clf: WorkerClassifier | null = null;
  button.addEventListener('click', () => {
    button.disabled = true;
    void (async () => {
      const section = $('#classify');
      try {
        if (!clf) {
          const { tag, entry } = await weightsChoice();
          const worker = new Worker(new URL('../workers/classify.worker.ts', import.meta.url), { type: 'module' });
          let from = 'downloaded';
          clf = await loadClassifierInWorker(worker, tag, {
            backend: 'wasm',
            ...(entry ? { entry } : {}),
            onStatus: (e) => {
              if (e.status === 'progress' && e.progress !== null) progress.value = e.progress;
              if (e.status === 'cached') from = 'from the cache';
              if (e.status === 'download') status.textContent = `Downloading ${tag} …`;
              if (e.status === 'done') {
                progress.value = 100;
                section.dataset.weights = e.cached ? 'cached' : 'downloaded';
              }
            },
          });
          status.textContent = `${tag}: weights ${from}; running on the ${clf.backend} backend in a Web Worker.`;
          section.dataset.backend = clf.backend;
        }
        if (!photo.complete) await photo.decode();
        const top5 = await clf.classify(photo, { topK: 5 });
        list.replaceChildren(...top5.map((c) => el('li', `${c.label}: ${(c.probability * 100).toFixed(1)}%`, { 'data-index': String(c.index), 'data-prob': String(c.probability) })));
        section.dataset.classified = 'true';
      } catch (e) {
        status.textContent = `Classifying failed: ${e instanceof Error ? e.message : String(e)}`;
        section.dataset.classified = 'error';
      } finally {
        button.disabled = false;
      }
    })();
  });
}
