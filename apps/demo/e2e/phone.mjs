// Phone-width checks: no horizontal overflow, every section renders, drawing with a finger.
import { join } from 'node:path';
import { assert, assertEqual, check } from './harness.mjs';
import { drawDigit, testDigits } from './draw.mjs';

export async function phoneChecks({ artifacts }, { page, errors }) {
  await check('phone: every section reaches ready', async () => {
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 150_000 });
    const bad = await page.$$eval('main > section', (s) => s.filter((e) => e.dataset.state !== 'ready').map((e) => e.id));
    assertEqual(bad, [], 'sections not ready');
  });

  await check('phone: nothing wider than the screen (no horizontal scroll)', async () => {
    const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert(w.scroll <= w.client, `page is ${w.scroll} px wide on a ${w.client} px screen`);
    // Charts fit their column.
    const wide = await page.$$eval('.chart svg', (svgs) => svgs.filter((s) => s.getBoundingClientRect().width > document.documentElement.clientWidth).length);
    assertEqual(wide, 0, 'charts wider than the screen');
  });

  await check('phone: a real MNIST digit drawn with a finger is classified right', async () => {
    await page.locator('#try').scrollIntoViewIfNeeded();
    const d = testDigits()[3];
    assertEqual(await drawDigit(page, d.image, 'touch'), d.label, `digit #${d.index}`);
  });

  await check('phone: screenshots', async () => {
    await page.screenshot({ path: join(artifacts, 'phone-full.png'), fullPage: true });
    await page.locator('#try').screenshot({ path: join(artifacts, 'phone-try.png') });
  });

  await check('phone: no console errors', async () => assertEqual(errors, [], 'console errors'));
}
