import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { getPretrained, registerPretrained } from '@resnet/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../../../../packages/zoo/src/testing/hub-server.js';
import { run } from '../cli/program.js';
import { runDownload } from './download.js';

const bytes = new Uint8Array(3 * 2 ** 20).map((_, i) => i % 251);
let hub: FakeHub;

beforeAll(async () => {
  hub = await startFakeHub([{ repo: 'test/cli', path: 'model.safetensors', bytes }]);
  registerPretrained('resnet20.cli', { ...getPretrained('resnet18.tv_in1k'), model: 'resnet20', source: { url: hub.url('test/cli', 'model.safetensors'), format: 'timm' }, numClasses: 10, labels: undefined });
});
afterAll(() => hub.close());

describe('resnet-train download', () => {
  it('shows progress, caches, verifies, and then finds the file in the cache (also offline)', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'train-dl-'));
    const stream = new PassThrough();
    let progress = '';
    stream.on('data', (c: Buffer) => (progress += c.toString()));
    const lines = await runDownload('resnet20.cli', { cacheDir }, stream);
    // One plain line per 10% (stderr is not a terminal here), at the first chunk past each step.
    const steps = progress.trim().split('\n').map((l) => /^resnet20\.cli: [\d.]+\/3\.0 MiB \((\d+)%\)$/.exec(l)?.[1]);
    expect(steps.map((pct) => Math.floor(Number(pct) / 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(lines[0]).toBe(`resnet20.cli: 3.0 MiB downloaded from ${hub.url('test/cli', 'model.safetensors')}`);
    expect(lines[2]).toBe(`  verified: sha256 (server); Hub commit ${hub.commit}`);
    const out: string[] = [];
    const code = await run(['download', 'resnet20.cli', '--cache-dir', cacheDir, '--offline'], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code).toBe(0);
    expect(out.join('')).toContain('resnet20.cli: 3.0 MiB already in the cache');
  });

  it('offline without a cached copy exits non-zero naming the cache path', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'train-dl-'));
    const err: string[] = [];
    const code = await run(['download', 'resnet20.cli', '--cache-dir', cacheDir, '--offline'], { out: () => {}, err: (s) => err.push(s) });
    expect(code).not.toBe(0);
    expect(err.join('')).toMatch(new RegExp(`error: offline: weights 'resnet20\\.cli' are not in the cache \\(expected at ${cacheDir}/`));
  });
});
