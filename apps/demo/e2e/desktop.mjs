// Desktop-width checks: load time, every section against Node's numbers,
// keyboard control, drawing real MNIST digits, no console errors.
import { join } from 'node:path';
import { assert, assertClose, assertEqual, check } from './harness.mjs';
import * as expected from './expected.mjs';
import { drawDigit, testDigits } from './draw.mjs';

const SECTIONS = ['degradation', 'blocks', 'family', 'ensembles', 'everywhere', 'try'];
const FAMILY = ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'];

const cells = (page, sel) => page.$$eval(sel, (els) => els.map((e) => e.dataset.value));

export async function desktopChecks({ browser, open, artifacts }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await open(context);

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

  await check('desktop: the backend chain picked WebGL and says so', async () => {
    const s = await page.$eval('#backend-status', (e) => ({ backend: e.dataset.backend, text: e.textContent }));
    assertEqual(s.backend, 'webgl', 'backend');
    assert(/webgl backend/.test(s.text), `status text: ${s.text}`);
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

  await check('family: params (both conventions), MACs and depth equal Node and torchvision', async () => {
    const meta = (await import('../src/data/torchvision-meta.json', { with: { type: 'json' } })).default;
    for (const name of FAMILY) {
      const row = `#family-table tr[data-model="${name}"]`;
      const got = await page.$eval(row, (tr) => Object.fromEntries([...tr.querySelectorAll('td[data-field]')].map((td) => [td.dataset.field, Number(td.dataset.value)])));
      const exp = expected.familyRow(name);
      assertEqual([got.torch, got.keras, got.macs], [exp.torch, exp.keras, exp.macs], `${name} page vs Node`);
      assertEqual([got.torch, got.macs], [meta[name].params, meta[name].macs], `${name} vs torchvision`);
      assertEqual(got.keras, meta[name].params + meta[name].bnStats, `${name} Keras count vs torchvision params + BN buffers`);
      assertEqual(got.depth, Number(name.slice(6)), `${name} depth`);
      assertEqual(got.top1, meta[name].weights[0].acc1, `${name} top-1`);
    }
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
    for (const d of testDigits()) {
      const label = await drawDigit(page, d.image, 'mouse');
      assertEqual(label, d.label, `digit #${d.index} (a ${d.label})`);
    }
  });

  await check('desktop: screenshots of the page and each section', async () => {
    await page.screenshot({ path: join(artifacts, 'desktop-full.png'), fullPage: true });
    for (const id of SECTIONS) await page.locator(`#${id}`).screenshot({ path: join(artifacts, `desktop-${id}.png`) });
  });

  await check('desktop: no console errors', async () => {
    assertEqual(errors, [], 'console errors');
  });
  await context.close();
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
