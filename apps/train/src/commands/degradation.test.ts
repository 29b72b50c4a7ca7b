import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../cli/program.js';
import { REPO } from '../testing/kill-harness.js';

const root = mkdtempSync(join(tmpdir(), 'resnet-degradation-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('degradation', () => {
  it('trains each model and writes results.json (issue schema), curves.svg, curves.png and report.md', async () => {
    const out = join(root, 'exp');
    let err = '';
    const code = await run(
      ['degradation', '--quick', '--models', 'plain8,resnet8', '--data', 'synthetic:8', '--widths', '4,8,8', '--train-size', '32', '--test-size', '16',
        '--batch-size', '16', '--epochs', '2', '--warmup-epochs', '0', '--backend', 'cpu', '--jobs', '1', '--out', out],
      { out: () => {}, err: (s) => (err += s) },
    );
    expect(code, err).toBe(0);
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(Object.keys(r).sort()).toEqual(['backend', 'data', 'recipe', 'runs']);
    expect(r.data).toBe('synthetic:8');
    expect(r.recipe).toMatchObject({ preset: 'quick', epochs: 2, batchSize: 16, widths: [4, 8, 8] });
    expect(r.runs.map((x: { model: string }) => x.model)).toEqual(['plain8', 'resnet8']);
    for (const run of r.runs) {
      expect(Object.keys(run).sort()).toEqual(['depth', 'epochs', 'final', 'model', 'params', 'residual']);
      expect(run.depth).toBe(8);
      expect(run.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([1, 2]);
      expect(Object.keys(run.epochs[0]).sort()).toEqual(['epoch', 'seconds', 'testError', 'trainError', 'trainLoss']);
      expect(Object.keys(run.final).sort()).toEqual(['testError', 'trainError']);
    }
    expect(r.runs[0].residual).toBe(false);
    expect(r.runs[1].residual).toBe(true);
    // Same layers with and without shortcuts: option-A shortcuts add no parameters.
    expect(r.runs[0].params).toBe(r.runs[1].params);
    const svg = readFileSync(join(out, 'curves.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    const png = readFileSync(join(out, 'curves.png'));
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\| plain8 \| plain \| 8 \|/);
    expect(md).toMatch(/\| resnet8 \| residual \| 8 \|/);
    // A second run into the same folder without --resume refuses to overwrite the finished run.
    let err2 = '';
    expect(await run(['degradation', '--models', 'plain8', '--data', 'synthetic:8', '--backend', 'cpu', '--jobs', '1', '--out', out], { out: () => {}, err: (s) => (err2 += s) })).toBe(1);
    expect(err2).toMatch(/holds a checkpoint from an earlier run; pass --resume to continue it, --overwrite to start again/);
  });

  it('a SIGTERM sent to the parent alone reaches both child runs: each saves a checkpoint, and the parent exits 143', async () => {
    // Long runs (40 epochs), so that on a loaded machine one child cannot finish before the other starts: the signal ends both.
    const out = join(root, 'sigterm');
    const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
    const parent = spawn(process.execPath, ['--import', 'tsx', cli, 'degradation', '--models', 'plain8,resnet8', '--data', 'synthetic:8', '--widths', '4,8,8',
      '--train-size', '48', '--test-size', '16', '--batch-size', '16', '--epochs', '40', '--warmup-epochs', '0', '--backend', 'cpu', '--jobs', '2', '--out', out, '--json'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const events: Array<{ run?: string; type: string }> = [];
    let stderr = '';
    let sent = false;
    let buf = '';
    parent.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        events.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
      const running = new Set(events.filter((e) => e.type === 'batch').map((e) => e.run));
      if (!sent && running.size === 2) {
        sent = true;
        parent.kill('SIGTERM'); // the parent's pid only, as a scheduler or `kill PID` sends it
      }
    });
    parent.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => parent.on('close', resolve));
    expect(sent).toBe(true);
    expect(code, stderr).toBe(143);
    for (const m of ['plain8', 'resnet8']) {
      expect(events.some((e) => e.run === m && e.type === 'interrupted'), m).toBe(true);
      const state = JSON.parse(readFileSync(join(out, 'runs', m, 'checkpoint', 'state.json'), 'utf8'));
      expect(state.complete).toBe(false);
    }
    expect(stderr).toMatch(/degradation: stopped; finished runs are kept, continue with the same command plus --resume/);
  });
});
