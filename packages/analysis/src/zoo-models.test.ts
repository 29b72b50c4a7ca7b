// The reference figures of the issue, on the zoo's models. Expected parameter
// counts are torchvision's (sum(p.numel()) for resnet50; +2 per BN channel for
// the moving statistics tfjs also holds); MAC references are the published
// torchvision / He et al. figures.
import { createModel } from '@resnet/zoo';
import { describe, expect, it } from 'vitest';
import { countMacs } from './macs.js';
import { countParams } from './params.js';
import { summary } from './summary.js';

describe('zoo models', () => {
  it('ResNet-50: 25,557,032 parameters (torch), 25,610,152 (keras), 4.09 G MACs at 224', () => {
    const m = createModel('resnet50');
    const torch = countParams(m, { convention: 'torch' });
    const keras = countParams(m, { convention: 'keras' });
    expect(torch).toMatchObject({ trainable: 25_557_032, nonTrainable: 0, total: 25_557_032 });
    expect(keras).toMatchObject({ trainable: 25_557_032, nonTrainable: 53_120, total: 25_610_152 });
    expect(keras.total).toBe(m.countParams());
    // torchvision's fc: 2048·1000 + 1000
    expect(torch.byBlock.at(-1)).toMatchObject({ name: 'head', total: 2_049_000 });
    expect(torch.byBlock.map((b) => b.name).slice(0, 3)).toEqual(['stem', 'layer1.0', 'layer1.1']);
    const macs = countMacs(m);
    expect(Math.abs(macs.total / 4.09e9 - 1)).toBeLessThan(0.01);
    // Convs + fc alone are torchvision's own 4.089 G.
    expect(macs.byKind.conv + macs.byKind.dense).toBe(4_089_184_256);
    console.log(`resnet50: params torch ${torch.total}, keras ${keras.total}; MACs ${macs.total} (conv ${macs.byKind.conv}, bn ${macs.byKind.norm}, pool ${macs.byKind.pool}, add ${macs.byKind.add})`);
    m.dispose();
  });

  it('ResNet-18: 11,689,512 parameters (torch) and 1.82 G MACs at 224', () => {
    const m = createModel('resnet18');
    expect(countParams(m, { convention: 'torch' }).total).toBe(11_689_512);
    const macs = countMacs(m);
    expect(Math.abs(macs.total / 1.82e9 - 1)).toBeLessThan(0.01);
    expect(macs.byKind.conv + macs.byKind.dense).toBe(1_814_073_344);
    console.log(`resnet18: MACs ${macs.total}`);
    m.dispose();
  });

  it('ResNet-20 (CIFAR): 0.27 M parameters and about 41 M MACs; the stem conv is 32·32·16·3·3·3', () => {
    const m = createModel('resnet20');
    // He et al. 2015 Table 6: 0.27 M. Convs: stem 3·3·3·16; stage 1: 6 × 3·3·16·16;
    // stage 2: 3·3·16·32 + 5 × 3·3·32·32; stage 3: 3·3·32·64 + 5 × 3·3·64·64 (zero-pad
    // shortcuts have no weights). BN γ,β: 2 × (16 + 2·3·(16 + 32 + 64)). fc: 64·10 + 10.
    const convs = 432 + 6 * 2304 + (4608 + 5 * 9216) + (18432 + 5 * 36864);
    const p = countParams(m, { convention: 'torch' });
    expect(p.total).toBe(convs + 2 * (16 + 6 * 112) + 650);
    expect(p.total).toBe(269_722);
    const macs = countMacs(m);
    expect(Math.abs(macs.total / 41e6 - 1)).toBeLessThan(0.01);
    expect(macs.byLayer.find((l) => l.name === 'conv1')!.macs).toBe(32 * 32 * 16 * 3 * 3 * 3);
    const s = summary(m, { by: 'block', convention: 'torch' });
    expect(s.rows.map((r) => r.name)).toEqual(['stem', ...[1, 2, 3].flatMap((i) => [0, 1, 2].map((b) => `layer${i}.${b}`)), 'head']);
    expect(s.rows.reduce((a, r) => a + r.params, 0)).toBe(269_722);
    expect(s.rows.reduce((a, r) => a + r.macs, 0)).toBe(macs.total);
    expect(s.text).toMatch(/Total params: 269,722 \(torch convention/);
    console.log(summary(m, { convention: 'torch', by: 'block' }).text);
    m.dispose();
    // A size-agnostic model counted at 32×32 gives the same figures.
    const any = createModel('resnet20', { inputShape: [null, null, 3] });
    expect(countMacs(any, { inputShape: [32, 32, 3] }).total).toBe(macs.total);
    expect(countMacs(any, { inputShape: [64, 64, 3] }).byLayer.find((l) => l.name === 'conv1')!.macs).toBe(4 * 32 * 32 * 16 * 27);
    any.dispose();
  });
});
