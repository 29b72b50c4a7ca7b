import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli as cli } from '../testing/cli.js';

describe('resnet-train flags', () => {
  const bad: Array<[string[], RegExp]> = [
    [['train', '--model', 'resnet20', '--out', 'x', '--lr', 'fast'], /--lr <x>' argument 'fast' is invalid\. expected a number > 0/],
    // float32 cannot hold these: 1e39 would be Infinity in every update, 1e-46 zero.
    [['train', '--model', 'resnet8', '--out', 'x', '--lr', '1e39'], /--lr <x>' argument '1e39' is invalid\. expected a number > 0 within float32 \(magnitude 1\.4e-45 to 3\.4e38\)/],
    [['train', '--model', 'resnet8', '--out', 'x', '--lr', '1e-46'], /--lr <x>' argument '1e-46' is invalid\. expected a number > 0 within float32/],
    [['train', '--model', 'resnet8', '--out', 'x', '--weight-decay', '4e38'], /--weight-decay <x>' argument '4e38' is invalid\. expected a number >= 0 within float32/],
    [['train', '--model', 'resnet8', '--out', 'x', '--warmup-epochs', 'Infinity'], /--warmup-epochs <x>' argument 'Infinity' is invalid/],
    [['train', '--model', 'resnet20', '--out', 'x', '--epochs', '0'], /--epochs <n>' argument '0' is invalid\. expected a positive integer/],
    [['train', '--model', 'resnet20', '--out', 'x', '--batch-size', '12.5'], /--batch-size <n>' argument '12\.5' is invalid/],
    [['train', '--model', 'resnet20', '--out', 'x', '--momentum', '1'], /--momentum <x>' argument '1' is invalid\. expected a number in \[0, 1\)/],
    [['train', '--model', 'resnet20', '--out', 'x', '--schedule', 'linear'], /--schedule <kind>' argument 'linear' is invalid\. valid values: step, cosine, constant/],
    [['train', '--model', 'resnet20', '--out', 'x', '--backend', 'cuda'], /--backend <name>' argument 'cuda' is invalid\. Allowed choices are auto, tensorflow-gpu, tensorflow, webgpu, wasm, cpu/],
    [['train', '--model', 'resnet20', '--out', 'x', '--data', 'imagenet'], /--data <spec>' argument 'imagenet' is invalid\. valid: mnist \| cifar10:DIR/],
    [['train', '--model', 'resnet20', '--out', 'x', '--widths', '16,a'], /--widths <list>' argument '16,a' is invalid/],
    [['train', '--out', 'x'], /required option '--model <name>' not specified/],
    [['train', '--model', 'resnet20'], /required option '--out <dir>' not specified/],
    [['export', '--checkpoint', 'x', '--to', 'onnx'], /--to <format>' argument 'onnx' is invalid\. Allowed choices are tfjs, torchvision/],
    [['degradation', '--preset', 'he2016'], /--preset <name>' argument 'he2016' is invalid\. Allowed choices are quick, he2015/],
    [['train', '--model', 'resnet8', '--out', 'x', '--wasm-threads', '0'], /--wasm-threads <n>' argument '0' is invalid\. expected a positive integer/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(' ')}`, async () => {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
    });
  }

  const crossFlag: Array<[string[], RegExp]> = [
    [['train', '--model', 'resnet20', '--out', 'x', '--epochs', '3', '--warmup-epochs', '3'], /--warmup-epochs: 3 must be less than epochs \(3\)/],
    [['train', '--model', 'resnet20', '--out', 'x', '--momentum', '0', '--nesterov'], /--nesterov: needs momentum > 0/],
    [['train', '--model', 'resnet20', '--out', 'x', '--milestones', '2,4'], /--milestones only applies to --schedule step/],
    [['train', '--model', 'resnet20', '--out', 'x', '--schedule', 'step', '--epochs', '5', '--milestones', '4,2'], /--milestones must be increasing epochs below --epochs 5/],
    [['train', '--model', 'resnet20', '--out', 'x', '--widths', '8,16'], /--widths: needs three stage widths/],
    [['degradation', '--quick', '--preset', 'he2015'], /--quick and --preset he2015 contradict each other/],
    [['train', '--model', 'resnet8', '--out', 'x', '--recipe-json', '{"lr": 1e39}'], /--recipe-json: recipe\.lr: must be a number within float32/],
    [['train', '--model', 'resnet8', '--out', 'x', '--recipe-json', '{"lr": 0.1,'], /--recipe-json: not valid JSON/],
    [['train', '--model', 'resnet51', '--out', 'x', '--backend', 'cpu', '--data', 'synthetic:8'], /unknown model 'resnet51'; known: .*resnet18/],
    [['train', '--model', 'resnet8', '--out', 'x', '--backend', 'wasm', '--wasm-threads', '17', '--data', 'synthetic:8'], /wasmThreads must be an integer from 1 to 16 .*; got 17/],
  ];
  for (const [argv, message] of crossFlag) {
    it(`rejects ${argv.join(' ')}`, async () => {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^error: /m);
      expect(r.err).toMatch(message);
    });
  }

  it('prints help with exit code 0', async () => {
    const r = await cli('train', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--warmup-epochs <x>/);
    expect(r.out).not.toMatch(/--recipe-json/);
  });

  it('--wasm-threads sets the threads of our wasm kernels, and the backend line says so', async () => {
    const out = mkdtempSync(join(tmpdir(), 'resnet-threads-'));
    let stderr = '';
    // The backend line goes straight to the process's stderr (it is printed before any command output).
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    try {
      const r = await cli('train', '--model', 'resnet8', '--data', 'synthetic:8', '--widths', '4,8,8', '--train-size', '16', '--test-size', '8',
        '--batch-size', '8', '--epochs', '1', '--warmup-epochs', '0', '--backend', 'wasm', '--wasm-threads', '1', '--out', out);
      expect(r.code, r.err).toBe(0);
      expect(stderr).toMatch(/^backend: wasm on CPU \(wasm SIMD.*our kernels on 1 thread,/m);
    } finally {
      write.mockRestore();
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('eval of a folder without a checkpoint says where it looked', async () => {
    const r = await cli('eval', '--checkpoint', '/nonexistent/run', '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no checkpoint in '\/nonexistent\/run': expected \/nonexistent\/run\/checkpoint\/state\.json/);
  });
});
