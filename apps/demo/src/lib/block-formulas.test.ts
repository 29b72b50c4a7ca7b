import { describe, expect, it } from 'vitest';
import { basicBlockCount, bottleneckCount, bottleneckSaving, kerasCount, projectionCount, pytorchCount } from './block-formulas.js';

describe('block formulas', () => {
  it('basic block of width 64 matches torchvision layer1.0 of ResNet-18 (73,984 params)', () => {
    // torchvision resnet18 layer1[0]: 2 × (64·64·9) conv + 2 × 128 BN affine = 73,984.
    expect(pytorchCount(basicBlockCount(64))).toBe(73_984);
    expect(kerasCount(basicBlockCount(64))).toBe(73_984 + 256);
  });

  it('bottleneck of width 256 is the paper figure 5 block: 69,632 conv weights', () => {
    // 256·64 + 9·64·64 + 64·256, He et al. 2015 fig. 5 (right).
    expect(bottleneckCount(256).convWeights).toBe(16_384 + 36_864 + 16_384);
    // torchvision resnet50 layer1[1] (identity shortcut): 69,632 + 2·(64+64+256) = 70,400.
    expect(pytorchCount(bottleneckCount(256))).toBe(70_400);
  });

  it('projection 128→256: 1×1 conv plus BN', () => {
    expect(pytorchCount(projectionCount(256))).toBe(128 * 256 + 512);
  });

  it('the bottleneck saving is 288/17 for every width', () => {
    for (const d of [64, 256, 1024]) expect(bottleneckSaving(d)).toBeCloseTo(288 / 17, 12);
    expect(Math.round(bottleneckSaving(256))).toBe(17);
  });

  it('rejects widths the bottleneck cannot quarter, saying what is valid', () => {
    expect(() => basicBlockCount(30)).toThrow(/multiple of 4/);
  });
});
