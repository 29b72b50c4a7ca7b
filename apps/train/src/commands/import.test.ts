/**
 * `import` on a file that came out of PyTorch DDP: tools/fixtures/ddp_fixture.sh
 * exported synthetic:8 with `export-data`, trained resnet8 (widths 4/8/8) with
 * tools/resnet_ddp/train_ddp.py on 2 gloo processes, and saved PyTorch's logits
 * on the exported test split. tfjs must give the same logits and test error.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { maxRelDiff } from '@resnet/test-utils';
import { fileIOHandler, parseSafetensors, readTensorAsFloat32 } from '@resnet/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadData } from '../data/index.js';
import { logitsOf, runImport, widthsOf } from './import.js';
import { runCli as cli } from '../testing/cli.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../../tools/fixtures/resnet_ddp/${name}`, import.meta.url));
const WEIGHTS = fixture('resnet8_ddp.safetensors');
const DATA = ['--data', 'synthetic:8', '--train-size', '256', '--test-size', '64'];
const root = mkdtempSync(join(tmpdir(), 'import-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function logitsFile(path: string): { shape: number[]; data: Float32Array } {
  const f = parseSafetensors(readFileSync(path));
  return { shape: f.entries.get('logits')!.shape, data: readTensorAsFloat32(f, 'logits') };
}

function argmaxRows(x: Float32Array, classes: number): number[] {
  return Array.from({ length: x.length / classes }, (_, r) => {
    const row = Array.from(x.subarray(r * classes, (r + 1) * classes));
    return row.indexOf(Math.max(...row));
  });
}

const torch = logitsFile(fixture('resnet8_torch_logits.safetensors'));
const test = loadData('synthetic:8', { trainSize: 256, testSize: 64 }).test;
let result: { code: number; out: string; err: string };

beforeAll(async () => {
  await tf.setBackend('cpu');
  result = await cli('import', '--weights', WEIGHTS, '--model', 'resnet8', '--widths', '4,8,8', ...DATA, '--backend', 'cpu',
    '--logits', join(root, 'tfjs-logits.safetensors'), '--out', join(root, 'tfjs'), '--json');
});

describe('import (a PyTorch DDP result back in tfjs)', () => {
  it("gives PyTorch's logits and test error on the same images", () => {
    expect(result.code).toBe(0);
    const r = JSON.parse(result.out);
    expect(r).toMatchObject({ model: 'resnet8', data: 'synthetic:8', params: 2590, test: { images: 64 }, train: { images: 256 } });
    const mine = logitsFile(join(root, 'tfjs-logits.safetensors'));
    expect(mine.shape).toEqual([64, 10]);
    expect(torch.shape).toEqual([64, 10]);
    expect(maxRelDiff(mine.data, torch.data)).toBeLessThanOrEqual(1e-4);
    const torchPred = argmaxRows(torch.data, 10);
    expect(argmaxRows(mine.data, 10)).toEqual(torchPred);
    const torchError = torchPred.filter((p, i) => p !== test.labels[i]).length / 64;
    expect(r.test.error).toBe(torchError);
    // The fixture is a trained model (PyTorch printed 7.81% test error), not a degenerate one.
    expect(torchError).toBeLessThan(0.2);
  });

  it('writes a tfjs model that loads and gives the same logits', async () => {
    const m = await tf.loadLayersModel(fileIOHandler(join(root, 'tfjs')));
    const again = logitsOf(m, test.images, [8, 8, 3]);
    m.dispose();
    expect(maxRelDiff(again, logitsFile(join(root, 'tfjs-logits.safetensors')).data)).toBe(0);
  });

  it("takes a CIFAR net's widths from the file, and leaves no tensors behind", async () => {
    expect(widthsOf(readFileSync(WEIGHTS))).toEqual([4, 8, 8]);
    const before = tf.memory().numTensors;
    const r = await runImport({ weights: WEIGHTS, model: 'resnet8', data: 'synthetic:8', trainSize: 16, testSize: 8 });
    expect(r.params).toBe(2590);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says what does not fit: widths, model, file, flags', async () => {
    const wrongWidths = await cli('import', '--weights', WEIGHTS, '--model', 'resnet8', '--widths', '8,16,32', ...DATA, '--backend', 'cpu');
    expect(wrongWidths.code).toBe(1);
    expect(wrongWidths.err).toMatch(/does not fit resnet8 for synthetic:8 \(input \[8,8,3\], 10 classes\); check --model, --widths/);
    expect(wrongWidths.err).toMatch(/shape mismatch in .*conv1\.weight \(model \[8, 3, 3, 3\], file \[4, 3, 3, 3\]\)/);
    const deeper = await cli('import', '--weights', WEIGHTS, '--model', 'resnet20', ...DATA, '--backend', 'cpu');
    expect(deeper.err).toMatch(/missing \d+ key\(s\): layer1\.1\.conv1\.weight/);
    const unknown = await cli('import', '--weights', WEIGHTS, '--model', 'resnet51', ...DATA);
    expect(unknown.err).toMatch(/unknown model 'resnet51'; known: .*resnet50/);
    const noFile = await cli('import', '--weights', join(root, 'nope.safetensors'), '--model', 'resnet8', ...DATA, '--backend', 'cpu');
    expect(noFile.err).toMatch(/--weights .*nope\.safetensors: no such file/);
    const widthsOnImagenet = await cli('import', '--weights', WEIGHTS, '--model', 'resnet18', '--widths', '4,8,8', ...DATA, '--backend', 'cpu');
    expect(widthsOnImagenet.err).toMatch(/--widths applies to the CIFAR family/);
    const noData = await cli('import', '--weights', WEIGHTS, '--model', 'resnet8');
    expect(noData.err).toMatch(/required option '--data <spec>' not specified/);
  });
});
