// Dev helper: load the built page once, print section states, console output and a screenshot.
//   node e2e/smoke.mjs [query] [width]
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { exitOnHelp } from '../../../scripts/lib/usage.mjs';

exitOnHelp(`usage: node apps/demo/e2e/smoke.mjs [query] [width]

Loads the built page (apps/demo/dist) once at width (default 1280) with the query (e.g.
?backend=wasm) and prints each section's state and time, the console and a screenshot path.`);

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'test-artifacts');
mkdirSync(out, { recursive: true });
const server = await serve(join(here, '..', 'dist'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--no-first-run', '--disable-background-networking'] });
const width = Number(process.argv[3] ?? 1280);
const page = await browser.newPage({ viewport: { width, height: 900 } });
page.on('console', (m) => console.log(`[${m.type()}] ${m.text()}`));
page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
const t0 = Date.now();
await page.goto(server.url + (process.argv[2] ?? ''), { waitUntil: 'load' });
console.log('load', Date.now() - t0, 'ms');
await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 240_000 }).catch((e) => console.log('not ready:', e.message));
console.log('ready', Date.now() - t0, 'ms');
console.log(await page.$$eval('main > section', (s) => s.map((e) => `${e.id}: ${e.dataset.state} ${e.dataset.ms ?? ''}`).join('\n')));
console.log(await page.$$eval('.chart', (c) => c.map((e) => e.id + ' ' + (e.dataset.ms ?? '')).join(', ')));
console.log(await page.$eval('#backend-status', (e) => e.textContent), 'tensors', await page.evaluate(() => document.body.dataset.tensors));
await page.screenshot({ path: join(out, `smoke-${width}.png`), fullPage: true });
await browser.close();
await server.close();
