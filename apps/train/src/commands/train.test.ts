import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fileIOHandler } from '@resnet/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../cli/program.js';
import { finishRun, type KillRound, runKillRounds } from '../testing/kill-harness.js';

// A tiny CIFAR-layout ResNet-8 (widths 4/8/8, zero-pad shortcuts) on 8×8 synthetic images, cpu backend.
const TINY = ['--model', 'resnet8', '--data', 'synthetic:8', '--widths', '4,8,8', '--train-size', '48', '--test-size', '16', '--batch-size', '16', '--epochs', '2', '--augment', '--lr', '0.05', '--warmup-epochs', '0.5', '--backend', 'cpu', '--seed', '3'];
const root = mkdtempSync(join(tmpdir(), 'resnet-train-'));
const quiet = { out: () => {}, err: () => {} };
const cli = (...argv: string[]): Promise<number> => run(argv, quiet);
const bytes = (dir: string, f: string): Buffer => readFileSync(join(dir, 'checkpoint', f));
const straight = join(root, 'straight');

beforeAll(async () => {
  expect(await cli('train', ...TINY, '--out', straight)).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('train', () => {
  it('trains end to end and writes run.json and a complete checkpoint', () => {
    const r = JSON.parse(readFileSync(join(straight, 'run.json'), 'utf8'));
    expect(r).toMatchObject({ model: 'resnet8', residual: true, depth: 8 });
    expect(r.epochs).toHaveLength(2);
    for (const e of r.epochs) {
      for (const k of ['trainLoss', 'trainError', 'testError', 'seconds']) expect(Number.isFinite(e[k])).toBe(true);
    }
    expect(r.final.trainError).toBe(r.epochs[1].trainError);
    // 4·9·1·... trainable count of this exact net: conv1 3·3·3·4 + bn 2·4; layer1.0: 2 convs 3·3·4·4 + 2 bn 2·4;
    // layer2.0: 3·3·4·8 + 3·3·8·8 + 2 bn 2·8; layer3.0: 2·(3·3·8·8) + 2 bn 2·8; fc 8·10 + 10.
    const expected = 108 + 8 + 2 * 144 + 16 + 288 + 576 + 32 + 2 * 576 + 32 + 90;
    expect(r.params).toBe(expected);
    const state = JSON.parse(bytes(straight, 'state.json').toString());
    expect(state).toMatchObject({ epoch: 2, complete: true, partial: null, backend: 'cpu' });
  });

  it('1 epoch + --resume gives bit-identical weights and optimizer state to 2 epochs straight', async () => {
    const split = join(root, 'split');
    expect(await cli('train', ...TINY, '--out', split, '--stop-after', '1')).toBe(0);
    expect(JSON.parse(bytes(split, 'state.json').toString())).toMatchObject({ epoch: 1, complete: false });
    expect(existsSync(join(split, 'run.json'))).toBe(false);
    expect(await cli('train', ...TINY, '--out', split, '--resume')).toBe(0);
    expect(bytes(split, 'weights.bin').equals(bytes(straight, 'weights.bin'))).toBe(true);
    expect(bytes(split, 'optimizer.bin').equals(bytes(straight, 'optimizer.bin'))).toBe(true);
    const a = JSON.parse(readFileSync(join(straight, 'run.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(split, 'run.json'), 'utf8'));
    expect(b.epochs.map((e: { trainLoss: number }) => e.trainLoss)).toEqual(a.epochs.map((e: { trainLoss: number }) => e.trainLoss));
  });

  it('refuses to overwrite a checkpoint without --resume, and to resume with another recipe', async () => {
    let err = '';
    const code = await run(['train', ...TINY, '--out', straight], { out: () => {}, err: (s) => (err += s) });
    expect(code).toBe(1);
    expect(err).toMatch(/already holds a checkpoint .* pass --resume/);
    err = '';
    const code2 = await run(['train', ...TINY, '--lr', '0.2', '--out', straight, '--resume'], { out: () => {}, err: (s) => (err += s) });
    expect(code2).toBe(1);
    expect(err).toMatch(/made with another set-up .*lr: checkpoint 0\.05, now 0\.2/);
  });

  it('killed by SIGKILL, SIGTERM, SIGHUP and SIGINT in turn and resumed each time, it ends with an uninterrupted run\'s exact weights', async () => {
    // Four epochs (12 iterations): each round moves the run on by about two, and it must not finish before the last.
    const argv = TINY.map((a, i) => (TINY[i - 1] === '--epochs' ? '4' : a));
    const reference = join(root, 'killed-reference');
    expect(await cli('train', ...argv, '--out', reference)).toBe(0);
    const out = join(root, 'killed');
    const rounds: KillRound[] = [
      { signal: 'SIGKILL', afterBatches: 2, delayMs: 0 },
      { signal: 'SIGTERM', afterBatches: 1, delayMs: 0 },
      { signal: 'SIGHUP', afterBatches: 1, delayMs: 0 },
      { signal: 'SIGINT', afterBatches: 1, delayMs: 0 },
    ];
    const reports = await runKillRounds({ argv, out, perEpoch: 3, rounds });
    // Each report passed the harness's checks: exit code, a valid checkpoint, at most an epoch lost (none for SIGTERM/SIGINT).
    // (A run stopped by SIGHUP ends by that signal, which shells report as 129: see cli.ts.)
    expect(reports.map((r) => r.exit)).toEqual(['SIGKILL', 143, 'SIGHUP', 130]);
    expect(reports[2]!.checkpointStep).toBeGreaterThan(reports[1]!.checkpointStep);
    expect(reports[3]!.checkpointStep).toBeGreaterThan(reports[2]!.checkpointStep);
    await finishRun(argv, out, 3);
    for (const f of ['weights.bin', 'optimizer.bin']) expect(bytes(out, f).equals(bytes(reference, f)), f).toBe(true);
    const losses = (dir: string): number[] => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).epochs.map((e: { trainLoss: number }) => e.trainLoss);
    expect(losses(out)).toEqual(losses(reference));
  }, 400_000); // six processes, each starting tsx and tfjs: 25 s on an idle 2-core machine, minutes on a busy one

  it('eval reports errors of the checkpoint; export writes a loadable tfjs model and torchvision safetensors', async () => {
    let out = '';
    expect(await run(['eval', '--checkpoint', straight, '--backend', 'cpu', '--json'], { out: (s) => (out += s), err: () => {} })).toBe(0);
    const ev = JSON.parse(out);
    expect(ev).toMatchObject({ model: 'resnet8', epoch: 2, train: { images: 512 }, test: { images: 128 } });
    const tfjsDir = join(root, 'export-tfjs');
    expect(await cli('export', '--checkpoint', straight, '--to', 'tfjs', '--out', tfjsDir)).toBe(0);
    const a = await tf.loadLayersModel(fileIOHandler(tfjsDir));
    const b = await tf.loadLayersModel(fileIOHandler(join(straight, 'checkpoint')));
    const x = tf.randomNormal([2, 8, 8, 3]);
    const [ya, yb] = [a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor];
    expect(Array.from(ya.dataSync())).toEqual(Array.from(yb.dataSync()));
    tf.dispose([x, ya, yb]);
    a.dispose();
    b.dispose();
    const st = join(root, 'model.safetensors');
    expect(await cli('export', '--checkpoint', straight, '--to', 'torchvision', '--out', st)).toBe(0);
    const buf = readFileSync(st);
    const headerLen = Number(buf.readBigUInt64LE(0));
    const header = JSON.parse(buf.subarray(8, 8 + headerLen).toString());
    expect(header['conv1.weight'].shape).toEqual([4, 3, 3, 3]); // OIHW
    expect(header['fc.weight'].shape).toEqual([10, 8]);
    expect(header['layer1.0.bn1.running_var'].shape).toEqual([4]);
  });

  it('lesion writes the error with each of the three blocks removed', async () => {
    const out = join(root, 'lesion');
    expect(await cli('lesion', '--checkpoint', straight, '--backend', 'cpu', '--out', out, '--test-size', '32')).toBe(0);
    const r = JSON.parse(readFileSync(join(out, 'lesion.json'), 'utf8'));
    expect(r.blocks.map((b: { block: string }) => b.block)).toEqual(['layer1.0', 'layer2.0', 'layer3.0']);
    expect(readFileSync(join(out, 'lesion.png')).subarray(1, 4).toString()).toBe('PNG');
  });
});
