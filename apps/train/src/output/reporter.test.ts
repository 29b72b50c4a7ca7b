import { describe, expect, it } from 'vitest';
import { createReporter } from './reporter.js';

function sink(): { stream: NodeJS.WritableStream & { isTTY?: boolean }; text: () => string } {
  let text = '';
  const stream = { isTTY: false, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
  return { stream, text: () => text };
}

describe('plain reporter (not a terminal)', () => {
  it('prints the start line with backend and device, epoch summaries, interruptions and divergence', () => {
    const s = sink();
    const r = createReporter('auto', '[resnet20] ', s.stream);
    r({ type: 'start', model: 'resnet20', backend: 'wasm', device: 'CPU (wasm SIMD, 1 thread)', params: 67906, epochs: 3, trainImages: 3000, testImages: 1000, data: 'mnist' });
    r({ type: 'epochStart', epoch: 1, epochs: 3, batches: 94, startBatch: 0 });
    r({ type: 'batch', epoch: 1, batch: 1, batches: 94, loss: 2.3, accuracy: 0.1, lr: 0.01, imagesPerSecond: 50, etaSeconds: 60 });
    r({ type: 'epoch', epoch: 1, trainLoss: 1.23456, trainError: 0.4, testError: 0.35, seconds: 61.2, checkpoint: 'x' });
    r({ type: 'interrupted', epoch: 2, batch: 7, checkpoint: 'out/checkpoint' });
    r({ type: 'diverged', reason: 'loss', epoch: 2, batch: 8, loss: NaN, lr: 0.1, checkpoint: null, text: 'loss became NaN' });
    const lines = s.text().trim().split('\n');
    expect(lines[0]).toBe('[resnet20] resnet20: 67,906 trainable parameters, 3000 training / 1000 test images of mnist, 3 epochs, backend wasm (CPU (wasm SIMD, 1 thread))');
    // The first batch comes right after the epoch starts: progress lines are throttled to one per 15 s.
    expect(lines[1]).toBe('[resnet20] epoch 1: train loss 1.2346, train error 40.00%, test error 35.00% (61.2 s)');
    expect(lines[2]).toMatch(/interrupted in epoch 2 after batch 7; checkpoint saved in out\/checkpoint \(continue with --resume\)/);
    expect(lines[3]).toBe('[resnet20] error: loss became NaN');
    expect(lines).toHaveLength(4);
  });
});
