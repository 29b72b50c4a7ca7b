// Desktop-width checks: load time, every section against Node's numbers,
// keyboard control, drawing real MNIST digits, no console errors.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, assertClose, assertEqual, check as checkNamed } from './harness.mjs';
import * as expected from './expected.mjs';
import { drawDigit, testDigits } from './draw.mjs';

const pub = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const meta = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'data', 'torchvision-meta.json'), 'utf8'));
const SECTIONS = ['degradation', 'blocks', 'family', 'ensembles', 'everywhere', 'try', 'classify'];
const FAMILY = ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'];

const cells = (page, sel) => page.$$eval(sel, (els) => els.map((e) => e.dataset.value));

/**
 * The desktop checks on `page`, which runs on `backend` (the main thread's; the
 * figures come from the wasm and cpu workers either way). `label` prefixes the
 * check names and screenshots.
 */
export async function desktopChecks({ artifacts }, { page, errors }, { backend = 'webgl', label = 'desktop' } = {}) {
  const check = (name, fn) => checkNamed(label === 'desktop' ? name : `${label} — ${name}`, fn);
  await check('desktop: page loads in under 3 s on the local static server', async () => {
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, transfer: n.transferSize };
    });
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    console.log(`     load: DOMContentLoaded ${nav.dcl.toFixed(0)} ms, load event ${nav.load.toFixed(0)} ms, first contentful paint ${fcp?.toFixed(0)} ms`);
    assert(nav.load < 3000, `load event at ${nav.load} ms`);
  });

  await check('desktop: every section reaches ready', async () => {
    const t = Date.now();
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 150_000 });
    const states = await page.$$eval('main > section', (s) => s.map((e) => [e.id, e.dataset.state, e.dataset.ms]));
    const sinceNav = await page.evaluate(() => performance.now());
    console.log(`     all sections ready ${sinceNav.toFixed(0)} ms after navigation (waited ${Date.now() - t} ms): ${states.map(([id, , ms]) => `${id} ${ms} ms`).join(', ')}`);
    assertEqual(states.map(([id, s]) => [id, s]), SECTIONS.map((id) => [id, 'ready']), 'section states');
  });

  await check(`desktop: the backend chain picked ${backend} and says so`, async () => {
    const s = await page.$eval('#backend-status', (e) => ({ backend: e.dataset.backend, text: e.textContent }));
    assertEqual(s.backend, backend, 'backend');
    assert(new RegExp(`${backend} backend`).test(s.text), `status text: ${s.text}`);
  });

  await check('blocks: formula = built block = Node build, at width 256', async () => {
    await blockTable(page, 256);
  });

  await check('blocks: bottleneck saving is 288/17', async () => {
    const v = Number(await page.$eval('#bottleneck-saving', (e) => e.dataset.value));
    assertClose(v, 288 / 17, 1e-12, 'saving');
  });

  await check('blocks: keyboard — Tab to the width slider, ArrowRight rebuilds at 320', async () => {
    // The slider is the next stop after the gradient 'Measure' button.
    await page.locator('#gf-run').focus();
    await page.keyboard.press('Tab');
    assertEqual(await page.evaluate(() => document.activeElement?.id), 'block-width', 'focus after Tab');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('#block-table tbody tr')?.dataset.width === '320' && document.querySelector('#blocks').dataset.state === 'ready');
    assertEqual(await page.$eval('#block-width-out', (e) => e.value), '320', 'slider output');
    await blockTable(page, 320);
  });

  await check('family: params (both conventions), MACs and depth equal torchvision; top-1 cited', async () => {
    // torchvision's own counts (scripts/torchvision-meta.py): an independent check of
    // what @resnet/zoo built and @resnet/analysis counted in the page's worker.
    for (const name of FAMILY) {
      const row = `#family-table tr[data-model="${name}"]`;
      const got = await page.$eval(row, (tr) => Object.fromEntries([...tr.querySelectorAll('td[data-field]')].map((td) => [td.dataset.field, Number(td.dataset.value)])));
      assertEqual([got.torch, got.macs], [meta[name].params, meta[name].macs], `${name} params and MACs vs torchvision`);
      assertEqual(got.keras, meta[name].params + meta[name].bnStats, `${name} Keras count vs torchvision params + BN buffers`);
      assertEqual(got.depth, Number(name.slice(6)), `${name} depth`);
      assertEqual(got.top1, meta[name].weights[0].acc1, `${name} top-1`);
    }
  });

  await check('degradation: curves drawn from the committed results.json', async () => {
    const r = JSON.parse(readFileSync(join(pub, 'results', 'degradation.json'), 'utf8'));
    const shown = JSON.parse(await page.$eval('#degradation-chart', (e) => e.dataset.final));
    assertEqual(shown, Object.fromEntries(r.runs.map((run) => [run.model, run.final.trainError])), 'final training errors');
    assertEqual(Object.keys(shown).sort(), ['plain20', 'plain56', 'resnet20', 'resnet56'], 'models');
    const lines = await page.$$eval('#degradation-chart svg path[aria-roledescription="line mark"]', (p) => p.length);
    assertEqual(lines, 4, 'line marks');
  });

  await check('degradation: gradient norms at init equal the Node measurement (depth 20)', async () => {
    const shown = JSON.parse(await page.$eval('#gradflow-chart', (e) => e.dataset.values));
    const exp = await expected.gradientProfiles(20);
    exp.forEach((p, i) => {
      assertEqual(shown[i].kind, p.kind, 'kind');
      assertClose(shown[i].norms, p.norms, 1e-3, `${p.kind} norms`);
    });
    const ratio = Object.fromEntries(shown.map((p) => [p.kind, p.ratio]));
    console.log(`     stem/last-block gradient ratio: plain ${ratio.plain.toExponential(2)}, resnet ${ratio.resnet.toFixed(2)}, zero-gamma ${ratio['resnet-zero-gamma'].toFixed(2)}`);
  });

  await check('everywhere: highway, DenseNet and pre/post-norm figures equal Node', async () => {
    const hw = JSON.parse(await page.$eval('#highway-chart', (e) => e.dataset.values));
    const ehw = expected.highwayFigure();
    assertClose(hw.map((p) => p.meanGate), ehw.map((p) => p.meanGate), 1e-4, 'highway mean gate');
    assertClose(hw.map((p) => p.inputCosine), ehw.map((p) => p.inputCosine), 1e-4, 'highway input cosine');
    const dn = await page.$eval('#densenet-chart', (e) => ({ values: JSON.parse(e.dataset.values), params: Number(e.dataset.params) }));
    const edn = expected.denseNetFigure();
    assertEqual(dn.values, edn.widths.map((w) => w.inChannels), 'DenseNet-121 widths');
    assertEqual(dn.params, 7_978_856, 'DenseNet-121 params (torchvision densenet121)');
    // Arithmetic: block 1 starts at 64 and grows by k = 32 per layer.
    assertEqual(dn.values.slice(0, 6), [64, 96, 128, 160, 192, 224], 'block 1 widths');
    const nf = JSON.parse(await page.$eval('#norm-chart', (e) => e.dataset.values));
    const enf = expected.normFigure();
    assertClose(nf.post, enf.post, 1e-3, 'post-norm');
    assertClose(nf.pre, enf.pre, 1e-3, 'pre-norm');
  });

  await check('ensembles: lesion study equals Node and resnet-train (within one digit of 500)', async () => {
    const shown = JSON.parse(await page.$eval('#lesion-chart', (e) => e.dataset.values));
    // Plain twin: the same lesionStudy ('skip') run here in Node. A tolerance of one
    // digit in 500 allows a near-tie logit to round the other way in another wasm build.
    const plain = await expected.plainLesionStudy();
    assertEqual(shown.plain.blocks.map((b) => b.name), plain.blocks.map((b) => b.name), 'plain blocks');
    assertClose(shown.plain.blocks.map((b) => b.error), plain.blocks.map((b) => b.error), 1 / 500 + 1e-9, 'plain errors');
    assertClose(shown.plain.baselineError, plain.baselineError, 1 / 500 + 1e-9, 'plain baseline');
    // An independent implementation: resnet-train's own lesion command (gates set in
    // Node on the same 500 digits), saved beside the model when it was exported.
    const train = JSON.parse(readFileSync(join(pub, 'models', 'mnist-resnet', 'lesion-resnet-train.json'), 'utf8'));
    assertEqual(shown.resnet.blocks.map((b) => b.name), train.blocks.map((b) => b.block), 'blocks vs resnet-train lesion');
    assertClose(shown.resnet.blocks.map((b) => b.error), train.blocks.map((b) => b.error), 1 / 500 + 1e-9, 'errors vs resnet-train lesion');
    assertClose(shown.resnet.baselineError, train.baseline, 1 / 500 + 1e-9, 'baseline vs resnet-train lesion');
    const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
    console.log(`     mean error with one block deleted: ResNet ${(100 * mean(shown.resnet.blocks.map((b) => b.error))).toFixed(1)}% (intact ${(100 * shown.resnet.baselineError).toFixed(1)}%), plain ${(100 * mean(shown.plain.blocks.map((b) => b.error))).toFixed(1)}% (intact ${(100 * shown.plain.baselineError).toFixed(1)}%)`);
  });

  await check('ensembles: path-length distribution equals the package, then follows the slider', async () => {
    const vals = async () => JSON.parse(await page.$eval('#paths-chart', (e) => e.dataset.values));
    assertClose(await vals(), expected.pathLengthDistribution(54), 1e-12, 'n=54');
    await page.locator('#paths-n').fill('10');
    await page.waitForFunction(() => document.querySelector('#paths-chart').dataset.n === '10');
    assertClose(await vals(), expected.pathLengthDistribution(10), 1e-12, 'n=10');
    const cap = await page.$eval('#paths-caption', (e) => ({ ...e.dataset }));
    assertEqual([Number(cap.mean), Number(cap.lo), Number(cap.hi)], [5, 2, 8], 'n=10 caption: mean 5, 95% within 2..8 (C(10,k) arithmetic)');
  });

  await check('try: real MNIST test digits drawn with the mouse are classified right', async () => {
    await page.locator('#try').scrollIntoViewIfNeeded();
    const tensors = () => page.$eval('#draw', (e) => Number(e.dataset.tensors));
    let first = null;
    // SwiftShader's WebGPU compiles every shader on the CPU at the first prediction: give it time.
    const timeout = backend === 'webgpu' ? 120_000 : 30_000;
    for (const d of testDigits()) {
      const label = await drawDigit(page, d.image, 'mouse', timeout);
      first ??= await tensors();
      assertEqual(label, d.label, `digit #${d.index} (a ${d.label})`);
    }
    // Ten digits later the main thread holds exactly as many tensors as after the first.
    assertEqual(await tensors(), first, 'main-thread tensors after 10 classifications');
  });

  await check('no tensor leaks in the compute workers (every task disposes its models)', async () => {
    const w = await page.evaluate(() => ({ ...document.documentElement.dataset }));
    assertEqual([w.workerTensorsWasm, w.workerTensorsCpu], ['0', '0'], 'live tensors in the wasm and cpu workers');
  });

  await check('desktop: screenshots of the page and each section', async () => {
    await page.screenshot({ path: join(artifacts, `${label}-full.png`), fullPage: true });
    for (const id of SECTIONS) await page.locator(`#${id}`).screenshot({ path: join(artifacts, `${label}-${id}.png`) });
  });

  await check('desktop: no console errors', async () => {
    assertEqual(errors, [], 'console errors');
  });
}

async function blockTable(page, d) {
  const exp = expected.blockCounts(d);
  for (const kind of ['basic', 'bottleneck', 'projection']) {
    const row = `#block-table tr[data-kind="${kind}"]`;
    const [formula, torch, keras] = (await cells(page, `${row} td[data-value]`)).map(Number);
    const agree = await page.$eval(`${row} td[data-field="agree"]`, (e) => e.textContent);
    assertEqual([torch, keras], [exp[kind].torch, exp[kind].keras], `${kind} at ${d}: page vs Node`);
    assertEqual(formula, torch, `${kind} at ${d}: formula vs built`);
    assertEqual(agree, 'yes', `${kind} agree cell`);
  }
}
