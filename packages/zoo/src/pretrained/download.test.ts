import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeHub, type FakeHub } from '../testing/hub-server.js';
import type { FetchLike } from '../net/fetch.js';
import type { DownloadProgress } from '../net/transfer.js';
import { downloadPretrained } from './download.js';
import { registerPretrained } from '../models/pretrained.js';
import { getPretrained, type PretrainedSource } from './table.js';

const REPO = 'test/resnet20.fake';
const FILE = 'model.safetensors';
const bytes = new Uint8Array(300_000).map((_, i) => (i * 2654435761) >>> 24);
const sha = createHash('sha256').update(bytes).digest('hex');
let hub: FakeHub;
let n = 0;

/** Registers a fresh tag for `url` (tags are global), with no hash of its own. */
function tagFor(url: string, extra: Partial<PretrainedSource> = {}): string {
  const tag = `resnet20.dl${++n}`;
  registerPretrained(tag, { ...getPretrained('resnet18.tv_in1k'), model: 'resnet20', source: { url, format: 'torchvision', ...extra }, numClasses: 10, labels: undefined });
  return tag;
}
/** Byte equality (vitest's toEqual walks 300,000 elements slowly). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
const freshDir = () => mkdtempSync(join(tmpdir(), 'zoo-dl-'));
/** Every file under `dir`, relative. */
const files = (dir: string): string[] => (existsSync(dir) ? (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]) : [])
  .filter((d) => d.isFile())
  .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
  .sort();

beforeAll(async () => {
  hub = await startFakeHub([{ repo: REPO, path: FILE, bytes }], { '/plain/w.safetensors': bytes });
});
afterAll(() => hub.close());

describe('downloadPretrained against a Hub-like server', () => {
  it('follows the 302, checks the announced SHA-256, reports progress, caches with metadata, then reuses the cache', async () => {
    const cacheDir = freshDir();
    const tag = tagFor(hub.url(REPO, FILE));
    const progress: DownloadProgress[] = [];
    const before = hub.count('/cdn/');
    const r = await downloadPretrained(tag, { cacheDir, onProgress: (p) => progress.push(p) });
    expect(r).toMatchObject({ verified: true, checks: ['sha256 (server)'], cached: false, commit: hub.commit });
    expect(same(r.bytes, bytes)).toBe(true);
    expect(hub.count('/cdn/') - before).toBe(1);
    expect(progress[0]).toEqual({ loaded: 0, total: bytes.byteLength });
    expect(progress.at(-1)).toEqual({ loaded: bytes.byteLength, total: bytes.byteLength });
    expect(progress.every((p, i) => i === 0 || p.loaded >= progress[i - 1]!.loaded)).toBe(true);
    const rel = `127.0.0.1_${new URL(hub.origin).port}/test/resnet20.fake/resolve/main/model.safetensors`;
    expect(files(cacheDir)).toEqual([rel, `${rel}.meta.json`]);
    expect(r.path).toBe(join(cacheDir, rel));
    expect(JSON.parse(readFileSync(join(cacheDir, `${rel}.meta.json`), 'utf8'))).toMatchObject({ sha256: sha, size: bytes.byteLength, commit: hub.commit });

    const again = await downloadPretrained(tag, { cacheDir });
    expect(again).toMatchObject({ cached: true, verified: true, checks: ['sha256 (server)'] });
    expect(hub.count('/cdn/') - before).toBe(1);
  });

  it('a download cut off halfway every time fails after its retries (each resumed) and leaves nothing in the cache', async () => {
    const cacheDir = freshDir();
    const tag = tagFor(hub.url(REPO, FILE));
    hub.behaviour.cutOff = true;
    try {
      await expect(downloadPretrained(tag, { cacheDir })).rejects.toThrow(/download of '.*' failed after 4 attempts: the (connection dropped|body ended) after \d+ of 300000 bytes/);
    } finally {
      hub.behaviour.cutOff = false;
    }
    expect(files(cacheDir)).toEqual([]);
  });

  it('bytes that differ from the announced SHA-256 are refused and not cached', async () => {
    const cacheDir = freshDir();
    const tag = tagFor(hub.url(REPO, FILE));
    hub.behaviour.corruptWith = bytes.map((b, i) => (i === 1234 ? b ^ 1 : b));
    try {
      await expect(downloadPretrained(tag, { cacheDir })).rejects.toThrow(new RegExp(`hash mismatch for .*: sha256 [0-9a-f]{64}, expected ${sha} \\(announced by the server\\)`));
    } finally {
      hub.behaviour.corruptWith = undefined;
    }
    expect(files(cacheDir)).toEqual([]);
  });

  it('the download is hashed once, by WebCrypto; a cached load trusts the verified mark; verifyCached hashes again', async () => {
    const cacheDir = freshDir();
    const tag = tagFor(hub.url(REPO, FILE));
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    try {
      expect(await downloadPretrained(tag, { cacheDir })).toMatchObject({ cached: false, verified: true, checks: ['sha256 (server)'] });
      expect(digest).toHaveBeenCalledTimes(1);
      const meta = JSON.parse(readFileSync(`${(await downloadPretrained(tag, { cacheDir })).path!}.meta.json`, 'utf8'));
      expect(meta.verified).toEqual({ sha256: sha });
      expect(await downloadPretrained(tag, { cacheDir })).toMatchObject({ cached: true, verified: true, checks: ['sha256 (server)'] });
      expect(digest).toHaveBeenCalledTimes(1);
      expect(await downloadPretrained(tag, { cacheDir, verifyCached: true })).toMatchObject({ cached: true, verified: true, checks: ['sha256 (server)'] });
      expect(digest).toHaveBeenCalledTimes(2);
    } finally {
      digest.mockRestore();
    }
  });

  it('without WebCrypto (an insecure page) the download is hashed as it arrives, and a wrong hash is still refused', async () => {
    const cacheDir = freshDir();
    const tag = tagFor(hub.url(REPO, FILE));
    const crypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
    try {
      const r = await downloadPretrained(tag, { cacheDir });
      expect(r).toMatchObject({ cached: false, verified: true, checks: ['sha256 (server)'] });
      expect(same(r.bytes, bytes)).toBe(true);
      expect(JSON.parse(readFileSync(`${r.path!}.meta.json`, 'utf8')).verified).toEqual({ sha256: sha });
      hub.behaviour.corruptWith = bytes.map((b, i) => (i === 99 ? b ^ 1 : b));
      await expect(downloadPretrained(tag, { cacheDir: freshDir() })).rejects.toThrow(/hash mismatch for .*: sha256 [0-9a-f]{64}, expected/);
    } finally {
      hub.behaviour.corruptWith = undefined;
      Object.defineProperty(globalThis, 'crypto', crypto);
    }
  });

  it('a corrupted cache file (verifyCached) is deleted and downloaded again once, with a message naming its path', async () => {
    const cacheDir = freshDir();
    const tag = tagFor(hub.url(REPO, FILE));
    const { path } = await downloadPretrained(tag, { cacheDir });
    writeFileSync(path!, bytes.map((b, i) => (i === 7 ? b ^ 0xff : b)));
    const warnings: string[] = [];
    const before = hub.count('/cdn/');
    const r = await downloadPretrained(tag, { cacheDir, verifyCached: true, onWarning: (m) => warnings.push(m) });
    expect(r).toMatchObject({ cached: false, verified: true });
    expect(same(r.bytes, bytes)).toBe(true);
    expect(hub.count('/cdn/') - before).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`hash mismatch for ${path}`);
    expect(warnings[0]).toContain('deleted the cached file, downloading it again');
    expect(same(readFileSync(path!), bytes)).toBe(true);
    // A truncated cache file is caught by the recorded size before any hashing.
    writeFileSync(path!, bytes.subarray(0, 10));
    const r2 = await downloadPretrained(tag, { cacheDir, onWarning: (m) => warnings.push(m) });
    expect(r2.cached).toBe(false);
    expect(warnings[1]).toMatch(/size mismatch for .*: 10 bytes, expected 300000/);
  });

  it('two concurrent requests for one file share one download (and both see progress)', async () => {
    const cacheDir = freshDir();
    const tag = tagFor(hub.url(REPO, FILE));
    hub.behaviour.delayMs = 100;
    const before = hub.count('/cdn/');
    const seen = [0, 0];
    try {
      const [a, b] = await Promise.all([
        downloadPretrained(tag, { cacheDir, onProgress: () => seen[0]!++ }),
        downloadPretrained(tag, { cacheDir, onProgress: () => seen[1]!++ }),
      ]);
      expect(same(a.bytes, bytes)).toBe(true);
      expect(b.bytes).toBe(a.bytes);
    } finally {
      hub.behaviour.delayMs = 0;
    }
    expect(hub.count('/cdn/') - before).toBe(1);
    expect(seen[0]).toBeGreaterThan(1);
    expect(seen[1]).toBeGreaterThan(1);
  });

  it('two forced downloads of one file in one process write through distinct temp files', async () => {
    const cacheDir = freshDir();
    const tag = tagFor(hub.url(REPO, FILE));
    const [a, b] = await Promise.all([downloadPretrained(tag, { cacheDir, force: true }), downloadPretrained(tag, { cacheDir, force: true, revision: 'main' })]);
    expect([a.cached, b.cached]).toEqual([false, false]);
    expect(files(cacheDir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(same(readFileSync(a.path!), bytes)).toBe(true);
  });

  it('offline: a cached file loads; a missing one fails at once naming the cache path, without a request', async () => {
    const cacheDir = freshDir();
    const tag = tagFor(hub.url(REPO, FILE));
    const fetch = vi.fn<FetchLike>();
    await expect(downloadPretrained(tag, { cacheDir, offline: true, fetch })).rejects.toThrow(
      new RegExp(`offline: weights '${tag.replace('.', '\\.')}' are not in the cache \\(expected at ${cacheDir}/127\\.0\\.0\\.1_\\d+/test/resnet20\\.fake/resolve/main/model\\.safetensors\\)`),
    );
    expect(fetch).not.toHaveBeenCalled();
    await downloadPretrained(tag, { cacheDir });
    const env = process.env.RESNET_ZOO_OFFLINE;
    process.env.RESNET_ZOO_OFFLINE = '1';
    try {
      expect(await downloadPretrained(tag, { cacheDir, fetch })).toMatchObject({ cached: true, verified: true });
      await expect(downloadPretrained(tag, { cacheDir: freshDir(), fetch })).rejects.toThrow(/offline: .*unset RESNET_ZOO_OFFLINE/);
    } finally {
      if (env === undefined) delete process.env.RESNET_ZOO_OFFLINE;
      else process.env.RESNET_ZOO_OFFLINE = env;
    }
    expect(fetch).not.toHaveBeenCalled();
  });

  it("in a browser (opaque redirects) the SHA-256 comes from the Hub's tree API", async () => {
    const browserLike: FetchLike = async (url, init) => {
      if (init?.redirect === 'manual') {
        return { ok: false, status: 0, type: 'opaqueredirect', headers: new Headers(), body: null, arrayBuffer: async () => new ArrayBuffer(0) };
      }
      return fetch(url, { signal: init?.signal });
    };
    const tag = tagFor(hub.url(REPO, FILE));
    const before = hub.count('/api/models/');
    const r = await downloadPretrained(tag, { cache: false, fetch: browserLike });
    expect(r).toMatchObject({ verified: true, checks: ['sha256 (server)'], cached: false });
    expect(hub.count('/api/models/') - before).toBe(1);
  });

  it('a revision is part of the URL and of the cache key', async () => {
    const cacheDir = freshDir();
    const tag = tagFor(hub.url(REPO, FILE), { revision: 'v1.0' });
    const r = await downloadPretrained(tag, { cacheDir });
    expect(r.url).toBe(hub.url(REPO, FILE, 'v1.0'));
    expect(r.path).toContain(join('resolve', 'v1.0', FILE));
    const pinned = await downloadPretrained(tag, { cacheDir, revision: 'a'.repeat(40) });
    expect(pinned.path).toContain(join('resolve', 'a'.repeat(40), FILE));
    expect(() => tagFor('https://example.invalid/w.bin', { revision: 'x' })).not.toThrow();
    await expect(downloadPretrained(`resnet20.dl${n}`, { cache: false })).rejects.toThrow(/revision 'x' applies to Hugging Face Hub URLs/);
  });

  it('unverifiable files load with one warning per URL; requireVerified refuses them', async () => {
    const url = `${hub.origin}/plain/w.safetensors`;
    const tag = tagFor(url);
    const warnings: string[] = [];
    const r = await downloadPretrained(tag, { cache: false, onWarning: (m) => warnings.push(m) });
    expect(r).toMatchObject({ verified: false, checks: [] });
    await downloadPretrained(tag, { cache: false, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`weights '${tag.replace('.', '\\.')}' \\(${url}\\) could not be verified`))]);
    await expect(downloadPretrained(tag, { cache: false, requireVerified: true })).rejects.toThrow(/could not be verified.*refused because requireVerified is set/);
    // A table hash makes the same file verified.
    const pinned = tagFor(url, { sha256: sha });
    expect(await downloadPretrained(pinned, { cache: false, requireVerified: true })).toMatchObject({ verified: true, checks: ['sha256 (table)'] });
  });

  it('Keras entries are checked by MD5 (the same code as in browsers)', async () => {
    const md5 = createHash('md5').update(bytes).digest('hex');
    const good = tagFor(`${hub.origin}/plain/w.safetensors`, { md5 });
    expect(await downloadPretrained(good, { cache: false })).toMatchObject({ verified: true, checks: ['md5 (table)'] });
    const bad = tagFor(`${hub.origin}/plain/w.safetensors`, { md5: '0'.repeat(32) });
    await expect(downloadPretrained(bad, { cache: false })).rejects.toThrow(new RegExp(`hash mismatch .*: md5 ${md5}, expected 0{32}`));
  });
});
