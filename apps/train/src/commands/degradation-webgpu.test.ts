/**
 * `resnet-train degradation --backend webgpu` end to end, in process, on the
 * software adapter the test setup points Dawn at (SwiftShader: correct, ~400×
 * slower than wasm, so the smallest experiment): both models train, the report
 * is written and names the backend.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../cli/program.js';

const root = mkdtempSync(join(tmpdir(), 'resnet-degradation-webgpu-'));
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await tf.setBackend('cpu');
});

describe('degradation on WebGPU', () => {
  it('--backend webgpu --allow-software trains plain8 and resnet8 and writes the report', async () => {
    const out = join(root, 'exp');
    let err = '';
    const code = await run(
      ['degradation', '--models', 'plain8,resnet8', '--data', 'synthetic:8', '--widths', '4,8,8', '--train-size', '32', '--test-size', '16',
        '--batch-size', '16', '--epochs', '1', '--warmup-epochs', '0', '--backend', 'webgpu', '--allow-software', '--jobs', '1', '--out', out],
      { out: () => {}, err: (s) => (err += s) },
    );
    expect(code, err).toBe(0);
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(r.backend).toMatch(/^webgpu \(CPU \(software WebGPU/);
    expect(r.runs.map((x: { model: string }) => x.model)).toEqual(['plain8', 'resnet8']);
    for (const x of r.runs) expect(Number.isFinite(x.epochs[0].trainLoss)).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| resnet8 \| residual \| 8 \|/);
  }, 180_000);
});
