// End-to-end test of the demo page in a real browser: Debian's chromium driven by
// playwright-core against the built static site (dist/) served on 127.0.0.1.
// Every number the page shows is checked against the same computation done here,
// in Node, with the @resnet packages. Prints "N passed, N failed"; exit code 1 on failure.
//
//   pnpm --filter resnet-demo test:e2e     (builds first)
//   node --import tsx e2e/run.mjs          (uses the existing dist/)
import { mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import { check, summary } from './harness.mjs';
import { desktopChecks } from './desktop.mjs';
import { phoneChecks } from './phone.mjs';
import { fallbackChecks } from './fallback.mjs';
import { webgpuChecks } from './webgpu.mjs';
import { classifyChecks } from './classify.mjs';
import { exitOnHelp } from '../../../scripts/lib/usage.mjs';

exitOnHelp(`usage: pnpm --filter resnet-demo test:e2e   (builds first)
       node --import tsx apps/demo/e2e/run.mjs   (uses the existing apps/demo/dist)

Serves the built page on 127.0.0.1 and checks every section in headless Chromium
(CHROMIUM=path overrides /usr/bin/chromium). Prints "N passed, N failed".`);

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const artifacts = join(here, '..', 'test-artifacts');
mkdirSync(artifacts, { recursive: true });
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`e2e: ${dist}/index.html is missing; build first (pnpm --filter resnet-demo build)`);
  process.exit(1);
}

const t0 = Date.now();
const server = await serve(dist);
/** Headless Debian chromium; `extra` flags on top of the usual ones. */
const launch = (extra = []) => chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  // playwright-core adds --enable-unsafe-swiftshader, so WebGL runs on SwiftShader.
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extra],
});
// WebGPU off here, as most browsers without a GPU: the chain's fallback is tested on it.
const browser = await launch();
console.log(`e2e: ${browser.version()} serving ${server.url}`);

/** Opens a page that records console errors and uncaught exceptions. */
async function open(context, query = '') {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(server.url + query, { waitUntil: 'load' });
  return { page, errors };
}

const ctx = { server, artifacts, open, browser, launch };
try {
  // The phone page starts once the desktop page has loaded (so the load time is
  // measured alone) and computes alongside it: the two pages' workers share the cores.
  const desktopContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const desktop = await open(desktopContext);
  // iPhone-12-like: 390 CSS px wide, touch, mobile viewport meta honoured.
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const phone = await open(phoneContext);
  await desktopChecks(ctx, desktop);
  await desktopContext.close();
  await phoneChecks(ctx, phone);
  await phoneContext.close();
  await classifyChecks(ctx);
  await fallbackChecks(ctx);
  await webgpuChecks(ctx);
} catch (e) {
  await check('e2e run completes', () => {
    throw e;
  });
} finally {
  await browser.close();
  await server.close();
}
console.log(`e2e: ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${artifacts}`);
process.exit(summary() > 0 ? 1 : 0);
