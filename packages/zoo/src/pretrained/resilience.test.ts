/**
 * Downloads as huggingface_hub and transformers.js users expect them, against
 * the local Hub server: status events (a cache hit too), a stall timeout that
 * names the URL, retries of HTTP 503 and of a connection dropped mid-file
 * (resumed with an HTTP Range request), and `signal` on weights and image URLs.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeImage } from '../io/decode.js';
import { startFakeHub, type FakeHub } from '../testing/hub-server.js';
import { downloadPretrained, type DownloadEvent } from './download.js';
import { registerPretrained } from '../models/pretrained.js';
import { getPretrained } from './table.js';

const REPO = 'test/resnet20.resilience';
const bytes = new Uint8Array(600_000).map((_, i) => (i * 2654435761) >>> 24);
let hub: FakeHub;
let n = 0;

function tag(): string {
  const t = `resnet20.resilience${++n}`;
  registerPretrained(t, { ...getPretrained('resnet18.tv_in1k'), model: 'resnet20', source: { url: hub.url(REPO, 'model.safetensors'), format: 'torchvision', sha256: null }, numClasses: 10, labels: undefined });
  return t;
}
const freshDir = () => mkdtempSync(join(tmpdir(), 'zoo-resilience-'));
const files = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name) : []);
const same = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(bytes);

beforeAll(async () => {
  hub = await startFakeHub([{ repo: REPO, path: 'model.safetensors', bytes }]);
});
beforeEach(() => {
  for (const k of Object.keys(hub.behaviour)) delete (hub.behaviour as Record<string, unknown>)[k];
});
afterAll(() => hub.close());

describe('downloads: events, stalls, retries, resume, abort', () => {
  it('status events: initiate, download, progress…, done; then initiate, cached, done', async () => {
    const t = tag();
    const cacheDir = freshDir();
    const events: DownloadEvent[] = [];
    const url = hub.url(REPO, 'model.safetensors');
    await downloadPretrained(t, { cacheDir, onStatus: (e) => events.push(e) });
    const kinds = events.map((e) => e.status);
    expect(kinds[0]).toBe('initiate');
    expect(kinds[1]).toBe('download');
    expect(kinds.at(-1)).toBe('done');
    expect(kinds.slice(2, -1).every((k) => k === 'progress')).toBe(true);
    expect(events[0]).toEqual({ status: 'initiate', tag: t, url, dtype: 'fp32' });
    expect(events.at(-2)).toEqual({ status: 'progress', tag: t, url, loaded: bytes.length, total: bytes.length, progress: 100 });
    expect(events.at(-1)).toEqual({ status: 'done', tag: t, url, size: bytes.length, cached: false });
    events.length = 0;
    await downloadPretrained(t, { cacheDir, onStatus: (e) => events.push(e) });
    expect(events.map((e) => e.status)).toEqual(['initiate', 'cached', 'done']);
    expect(events[1]).toMatchObject({ status: 'cached', size: bytes.length, path: expect.stringContaining(cacheDir) });
  });

  it('HTTP 503 then 200: retried, one retry event', async () => {
    hub.behaviour.failStatus = [503];
    const events: DownloadEvent[] = [];
    const r = await downloadPretrained(tag(), { cache: false, onStatus: (e) => events.push(e) });
    expect(same(r.bytes)).toBe(true);
    expect(events.filter((e) => e.status === 'retry')).toEqual([expect.objectContaining({ attempt: 1, resumeFrom: 0, reason: expect.stringContaining('HTTP 503') })]);
  });

  it('a connection dropped mid-file resumes with a Range request from where it stopped', async () => {
    hub.behaviour.cutOffTimes = 1;
    const events: DownloadEvent[] = [];
    const before = hub.count('/cdn/');
    const r = await downloadPretrained(tag(), { cache: false, onStatus: (e) => events.push(e) });
    expect(same(r.bytes)).toBe(true);
    expect(r.verified).toBe(true); // the Hub's SHA-256 of the whole file matched the joined parts
    const retry = events.find((e) => e.status === 'retry') as Extract<DownloadEvent, { status: 'retry' }>;
    expect(retry.resumeFrom).toBe(bytes.length / 2);
    expect(retry.reason).toMatch(/the connection dropped after 300000 of 600000 bytes|the body ended after 300000 of 600000 bytes/);
    expect(hub.count('/cdn/') - before).toBe(2);
    // After the resume, progress goes on from the offset, never back to 0.
    const loaded = events.filter((e) => e.status === 'progress').map((e) => (e as { loaded: number }).loaded);
    expect(loaded.slice(loaded.indexOf(bytes.length / 2)).every((v, i, a) => i === 0 || v >= a[i - 1]!)).toBe(true);
    // A server that ignores Range: the download starts over and still ends whole.
    hub.behaviour.cutOffTimes = 1;
    hub.behaviour.noRange = true;
    expect(same((await downloadPretrained(tag(), { cache: false })).bytes)).toBe(true);
  });

  it('a stall (connection accepted, nothing sent) fails after the retries, naming the URL and the timeout; nothing is cached', async () => {
    hub.behaviour.stall = { times: 99, at: 'headers' };
    const cacheDir = freshDir();
    const t0 = Date.now();
    const err = await downloadPretrained(tag(), { cacheDir, stallTimeoutMs: 200, retries: 1 }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      new RegExp(`^download of '${hub.url(REPO, 'model.safetensors').replace(/[.]/g, '\\.')}' failed after 2 attempts: no bytes for 0\\.2 s \\(stall timeout; option stallTimeoutMs\\)`),
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(files(cacheDir)).toEqual([]);
    // A body that stalls after 1 KiB is resumed.
    hub.behaviour.stall = { times: 1, at: 'body' };
    expect(same((await downloadPretrained(tag(), { cache: false, stallTimeoutMs: 300 })).bytes)).toBe(true);
  });

  it('signal: an abort rejects with an AbortError, caches nothing; image URLs take a signal too', async () => {
    hub.behaviour.delayMs = 300;
    const cacheDir = freshDir();
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('user left the page')), 50);
    const err = (await downloadPretrained(tag(), { cacheDir, signal: ac.signal }).catch((e: Error) => e)) as Error;
    expect(err.name).toBe('AbortError');
    expect(err.message).toMatch(/^download of weights 'resnet20\.resilience\d+' \(.*\) was aborted: user left the page$/);
    await new Promise((r) => setTimeout(r, 400));
    expect(files(cacheDir)).toEqual([]);
    const img = new AbortController();
    img.abort();
    const e2 = (await decodeImage(hub.url(REPO, 'model.safetensors'), { signal: img.signal }).catch((e: Error) => e)) as Error;
    expect(e2.name).toBe('AbortError');
    expect(e2.message).toContain(`download of '${hub.url(REPO, 'model.safetensors')}' was aborted`);
  });
});
