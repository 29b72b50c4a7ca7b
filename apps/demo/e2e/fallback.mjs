// The backend chain: with WebGL switched off the page must fall through WebGPU
// (absent in headless chromium) to wasm, say so, and still classify digits.
import { join } from 'node:path';
import { assert, assertEqual, check } from './harness.mjs';

export async function fallbackChecks({ browser, open, artifacts }) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const { page, errors } = await open(context, '?disable=webgl');

  await check('fallback: ?disable=webgl lands on wasm and reports each step', async () => {
    await page.waitForFunction(() => document.querySelector('#backend-status').dataset.state !== 'pending');
    const s = await page.$eval('#backend-status', (e) => ({ backend: e.dataset.backend, text: e.textContent }));
    const attempts = await page.$$eval('#backend-attempts li', (li) => li.map((e) => [e.dataset.backend, e.dataset.ok, e.textContent]));
    assertEqual(s.backend, 'wasm', 'backend');
    assertEqual(attempts.map(([b, ok]) => [b, ok]), [['webgl', 'false'], ['webgpu', 'false'], ['wasm', 'true']], 'attempts');
    assert(/disabled/.test(attempts[0][2]) && /WebGPU|navigator\.gpu/.test(attempts[1][2]), `reasons: ${attempts.map((a) => a[2]).join(' | ')}`);
  });

  await check('fallback: the sample digit is classified on wasm', async () => {
    await page.waitForFunction(() => document.querySelector('#try').dataset.state === 'ready', null, { timeout: 120_000 });
    const label = (await page.evaluate(() => fetch('data/mnist-test.json').then((r) => r.json()))).labels[0];
    await page.locator('#draw').focus();
    await page.keyboard.press('s'); // keyboard path: S draws the next sample digit
    await page.waitForFunction(() => document.querySelector('#prediction').dataset.label !== undefined);
    assertEqual(Number(await page.$eval('#prediction', (e) => e.dataset.label)), label, 'sample digit 0');
    await page.screenshot({ path: join(artifacts, 'fallback-wasm.png') });
  });

  await check('fallback: no console errors', async () => assertEqual(errors, [], 'console errors'));
  await context.close();
}
