// Replays real MNIST test digits as pen strokes on the page's canvas.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digitStrokes } from './strokes.mjs';

const pub = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'data');

/**
 * The first shipped test digit of each class (the shipped set is held out from
 * training; see scripts/make-test-digits.ts), so the choice is fixed, not picked
 * by how well the model does on it.
 */
export function testDigits() {
  const { labels } = JSON.parse(readFileSync(join(pub, 'mnist-test.json'), 'utf8'));
  const bytes = readFileSync(join(pub, 'mnist-test.bin'));
  const out = [];
  for (let c = 0; c < 10; c++) {
    const index = labels.indexOf(c);
    out.push({ index, label: c, image: Float32Array.from(bytes.subarray(index * 784, (index + 1) * 784), (b) => b / 255) });
  }
  return out;
}

/**
 * Clears the pad, sets the pen width the digit needs, draws its strokes with the
 * mouse or (mode 'touch') a finger via CDP touch events, and returns the class the
 * page then shows; `timeout` ms for the page's predictions.
 */
export async function drawDigit(page, image, mode = 'mouse', timeout = 30_000) {
  const { strokes, penWidth } = digitStrokes(image);
  await page.locator('#pen-width').fill(String(Math.round(penWidth)));
  const before = Number((await page.$eval('#draw', (e) => e.dataset.predictions)) ?? 0);
  await page.locator('#draw-clear').click();
  const box = await page.locator('#draw').boundingBox();
  const s = box.width / 280;
  const at = ([x, y]) => ({ x: box.x + x * s, y: box.y + y * s });
  const cdp = mode === 'touch' ? await page.context().newCDPSession(page) : null;
  for (const stroke of strokes) {
    const pts = stroke.map(at);
    if (cdp) {
      const touch = (type, p) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ x: p.x, y: p.y }] : [] });
      await touch('touchStart', pts[0]);
      for (const p of pts.slice(1)) await touch('touchMove', p);
      await touch('touchEnd');
    } else {
      await page.mouse.move(pts[0].x, pts[0].y);
      await page.mouse.down();
      for (const p of pts.slice(1)) await page.mouse.move(p.x, p.y);
      await page.mouse.up();
    }
  }
  if (cdp) await cdp.detach();
  // One prediction per finished stroke, plus one for the clear.
  await page.waitForFunction((n) => Number(document.querySelector('#draw').dataset.predictions) >= n, before + 1 + strokes.length, { timeout });
  return Number(await page.$eval('#prediction', (e) => e.dataset.label));
}
