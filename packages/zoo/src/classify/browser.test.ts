/**
 * `classify` in a real browser (Debian's Chromium through playwright-core): the
 * zoo sources bundled with esbuild for the browser, weights and a photo served
 * from 127.0.0.1. Every browser input form — <img>, canvas, ImageData,
 * ImageBitmap, VideoFrame, OffscreenCanvas, a URL, bytes, a fromPixels tensor —
 * on the cpu and WebGL backends must give Node's answer for the same file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../models/create.js';
import { registerPretrained } from '../models/pretrained.js';
import { getPretrained } from '../pretrained/table.js';
import { startTestPage, type TestPage } from '../testing/page-server.js';
import { fixturePath, readFixtureJson } from '../testing/fixtures.js';
import type { FetchLike } from '../net/fetch.js';
import { exportWeights } from '../weights/state-dict.js';
import { loadClassifier, type Classification } from './classifier.js';

const PHOTO = 'chelsea-small.png';
const here = dirname(fileURLToPath(import.meta.url));
const weights = exportWeights(createModel('resnet20'), { to: 'torchvision' });
const sha256 = createHash('sha256').update(weights).digest('hex');
const base = getPretrained('resnet18.tv_in1k');
const entry = { ...base, model: 'resnet20', source: { ...base.source, format: 'torchvision' as const, sha256 }, numClasses: 10, inputSize: 32, resizeSize: 36, labels: undefined };

// The page: the zoo sources and tfjs (cpu + WebGL backends), one function the test calls.
const PAGE = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { loadClassifier, registerPretrained } from '../index.js';

window.classifyAll = async (backend, entry, photoUrl) => {
  await tf.setBackend(backend);
  await tf.ready();
  const tag = 'resnet20.browser-' + backend;
  registerPretrained(tag, entry);
  const clf = await loadClassifier(tag);
  const img = new Image();
  img.src = photoUrl;
  await img.decode();
  const [w, h] = [img.naturalWidth, img.naturalHeight];
  const canvas = Object.assign(document.createElement('canvas'), { width: w, height: h });
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const offscreen = new OffscreenCanvas(w, h);
  offscreen.getContext('2d').drawImage(img, 0, 0);
  const imageData = ctx.getImageData(0, 0, w, h);
  const inputs = {
    img,
    canvas,
    imageData,
    imageBitmap: await createImageBitmap(img),
    videoFrame: new VideoFrame(canvas, { timestamp: 0 }),
    offscreenCanvas: offscreen,
    url: photoUrl,
    bytes: new Uint8Array(await (await fetch(photoUrl)).arrayBuffer()),
    tensor: tf.browser.fromPixels(canvas),
  };
  const before = tf.memory().numTensors;
  // One array of every form (what a batch does), and one single image.
  const each = await clf.classify(Object.values(inputs), { topK: 5 });
  const results = Object.fromEntries(Object.keys(inputs).map((name, i) => [name, each[i]]));
  const single = await clf.classify(img, { topK: 5 });
  const leaked = tf.memory().numTensors - before;
  const rgb = imageData.data.filter((_, i) => i % 4 !== 3);
  const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', rgb))].map((b) => b.toString(16).padStart(2, '0')).join('');
  inputs.tensor.dispose();
  inputs.videoFrame.close();
  clf.dispose();
  return { backend: tf.getBackend(), results, single, leaked, rgbSha256: hash };
};
`;

async function bundle(): Promise<string> {
  // The WebGL backend is a dependency of @tensorflow/tfjs (the root's), not of this package.
  const webgl = createRequire(createRequire(import.meta.url).resolve('@tensorflow/tfjs')).resolve('@tensorflow/tfjs-backend-webgl');
  const out = await build({
    stdin: { contents: PAGE, resolveDir: here, loader: 'ts', sourcefile: 'page.ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    // `#platform` is the browser host, as package.json's `imports` gives a browser bundle
    // of dist (tsconfig's `paths` would give Node's); no Node built-in may be reached.
    alias: {
      '#platform': `${here}/../platform/browser.ts`,
      '@tensorflow/tfjs-backend-webgl': webgl.slice(0, webgl.lastIndexOf('tfjs-backend-webgl') + 'tfjs-backend-webgl'.length),
    },
    logLevel: 'error',
  });
  return out.outputFiles[0]!.text;
}

const top = (c: Classification[]) => c.map((p) => p.index);

describe('classify in Chromium', () => {
  let testPage: TestPage;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const js = await bundle();
    testPage = await startTestPage({
      '/': ['text/html', '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>'],
      '/page.js': ['text/javascript', js],
      '/weights.safetensors': ['application/octet-stream', weights],
      [`/${PHOTO}`]: ['image/png', readFileSync(fixturePath(`photos/${PHOTO}`))],
    });
    ({ base, browser } = testPage);
  });
  afterAll(async () => {
    await testPage?.close();
  });

  it('every browser input on cpu and WebGL gives Node’s classes and probabilities; no tensor leaks', async () => {
    await tf.setBackend('wasm');
    registerPretrained('resnet20.browser-node', { ...entry, source: { ...entry.source, url: 'https://example.invalid/w.safetensors' } });
    const fetch: FetchLike = async () => ({ ok: true, status: 200, arrayBuffer: async () => weights.slice().buffer });
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const clf = await loadClassifier('resnet20.browser-node', { download: { fetch, cacheDir: mkdtempSync(join(tmpdir(), 'zoo-browser-')) } });
    const want = await clf.classify(fixturePath(`photos/${PHOTO}`));
    clf.dispose();

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base);
    await page.waitForFunction(() => 'classifyAll' in window);
    const pngHash = readFixtureJson<{ photos: Record<string, { rgbSha256: string }> }>('photos.json').photos[PHOTO]!.rgbSha256;
    for (const [backend, tol] of [['cpu', 1e-5], ['webgl', 1e-3]] as const) {
      const t0 = Date.now();
      type R = { backend: string; results: Record<string, Classification[]>; single: Classification[]; leaked: number; rgbSha256: string };
      const got = await page.evaluate(([b, e, u]) => (window as unknown as { classifyAll: (...a: unknown[]) => Promise<R> }).classifyAll(b, e, u), [backend, { ...entry, source: { ...entry.source, url: `${base}/weights.safetensors` } }, `${base}/${PHOTO}`] as const);
      expect(got.backend).toBe(backend);
      expect(got.rgbSha256, "the browser's PNG pixels are PIL's").toBe(pngHash);
      const rows = Object.entries(got.results).map(([input, r]) => {
        const d = Math.max(...r.map((p, i) => Math.abs(p.probability - want[i]!.probability)));
        expect(top(r), `${backend} ${input}`).toEqual(top(want));
        expect(d, `${backend} ${input}`).toBeLessThanOrEqual(tol);
        return `${input} ${d.toExponential(1)}`;
      });
      expect(top(got.single)).toEqual(top(want));
      expect(got.leaked, `${backend}: tensors left after classify`).toBe(0);
      console.log(`${backend} (${((Date.now() - t0) / 1000).toFixed(1)} s): top-5 = Node's for ${rows.length} input forms (one batch) and a single image; max |Δprobability|: ${rows.join(', ')}`);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
