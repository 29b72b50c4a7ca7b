// What the zoo's Chromium tests share: their page's files served on 127.0.0.1
// and Debian's headless Chromium (CHROMIUM=path overrides /usr/bin/chromium).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

/** A test page's files: path → [content type, body]; anything else is a 404. */
export type PageFiles = Record<string, [string, string | Uint8Array]>;

/** The served page and the browser to open it in. */
export interface TestPage {
  /** `http://127.0.0.1:<port>`. */
  base: string;
  browser: Browser;
  /** Closes the browser and the server. */
  close(): Promise<void>;
}

/** Serves `files` on 127.0.0.1 and launches headless Chromium. */
export async function startTestPage(files: PageFiles): Promise<TestPage> {
  const server = createServer((req, res) => {
    const f = files[req.url ?? ''];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--no-first-run'] });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    browser,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}
