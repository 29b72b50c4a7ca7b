// Section 7 ("Classify a photo"): ResNet-50 in a Web Worker with stand-in
// weights from the local Hub server (a freshly initialised ResNet-50 exported as
// the tag's safetensors; the page's ?hub= points at it). The top-5 must equal
// Node's loadClassifier on the same weights and photo; a second page load takes
// the weights from the browser's cache (the Hub sees no second download).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModel, exportWeights, loadClassifier } from '@resnet/zoo';
import { startFakeHub } from '../../../packages/zoo/src/testing/hub-server.ts';
import { assert, assertEqual, check } from './harness.mjs';

const photo = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'photos', 'chelsea-small.png');

export async function classifyChecks({ open, browser }) {
  const model = createModel('resnet50');
  const bytes = exportWeights(model, { to: 'torchvision' });
  model.dispose();
  // Node's answer: the same weights through the tag's transform and labels (wasm backend, as the page's worker).
  const clf = await loadClassifier('resnet50.tv2_in1k', { weights: bytes });
  const want = await clf.classify(photo, { topK: 5 });
  clf.dispose();
  const hub = await startFakeHub([{ repo: 'timm/resnet50.tv2_in1k', path: 'model.safetensors', bytes }]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const run = async () => {
      const { page, errors } = await open(context, `?hub=${encodeURIComponent(hub.origin)}`);
      await page.waitForSelector('#classify[data-state="ready"]', { timeout: 120_000 });
      await page.click('#classify-load');
      await page.waitForSelector('#classify[data-classified]', { timeout: 300_000 });
      const got = await page.evaluate(() => ({
        classified: document.querySelector('#classify').dataset.classified,
        weights: document.querySelector('#classify').dataset.weights,
        backend: document.querySelector('#classify').dataset.backend,
        progress: document.querySelector('#classify-progress').value,
        status: document.querySelector('#classify-status').textContent,
        top5: [...document.querySelectorAll('#classify-top5 li')].map((li) => ({ index: Number(li.dataset.index), probability: Number(li.dataset.prob) })),
      }));
      await page.close();
      return { got, errors };
    };
    await check('classify: ResNet-50 in a worker downloads the stand-in weights with progress, names the backend, and gives Node’s top-5', async () => {
      const cdn0 = hub.count('/cdn/');
      const { got, errors } = await run();
      assertEqual(got.classified, 'true', `section state (${got.status})`);
      assert(hub.count('/cdn/') - cdn0 === 1, `${hub.count('/cdn/') - cdn0} weight downloads, expected 1`);
      assertEqual([got.weights, got.backend, got.progress], ['downloaded', 'wasm', 100], 'weights, backend, progress');
      assert(/weights downloaded; running on the wasm backend in a Web Worker/.test(got.status), `status: ${got.status}`);
      assertEqual(got.top5.map((c) => c.index), want.map((c) => c.index), 'top-5 classes');
      const d = Math.max(...got.top5.map((c, i) => Math.abs(c.probability - want[i].probability)));
      assert(d <= 1e-4, `probabilities differ from Node's by ${d}`);
      assertEqual(errors, [], 'console errors');
    });
    await check('classify: a second visit takes the weights from the cache (no download)', async () => {
      const cdn0 = hub.count('/cdn/');
      const { got } = await run();
      assertEqual([got.classified, got.weights], ['true', 'cached'], 'state, weights');
      assert(/weights from the cache/.test(got.status), `status: ${got.status}`);
      assertEqual(hub.count('/cdn/') - cdn0, 0, 'downloads on the second visit');
    });
  } finally {
    await context.close();
    await hub.close();
  }
}
