import { describe, expect, it } from 'vitest';
import { createModel } from './create.js';
import { buildModel, listModels } from './registry.js';
import { trainableParams } from '../testing/params.js';

describe('DenseNets through the registry', () => {
  it('trainable parameters equal torchvision (and the paper for BC-100)', () => {
    // torchvision 0.14: sum(p.numel() for p in densenetXXX().parameters())
    const expected: Record<string, number> = {
      densenet121: 7_978_856,
      densenet161: 28_681_000,
      densenet169: 14_149_480,
      densenet201: 20_013_928,
    };
    expect(listModels('densenet')).toEqual([...Object.keys(expected), 'densenetBC100'].sort());
    for (const [name, count] of Object.entries(expected)) {
      const m = buildModel(name, { kernelInitializer: 'zeros' }); // a name typed string: the sync, weightless createModel
      expect(trainableParams(m), name).toBe(count);
      m.dispose();
    }
    const bc = createModel('densenetBC100', { kernelInitializer: 'zeros' });
    expect(Number((trainableParams(bc) / 1e6).toFixed(1))).toBe(0.8); // Huang et al. 2017, Table 2
    expect(bc.outputs[0]!.shape).toEqual([null, 10]);
    bc.dispose();
  }, 120_000);

  it('rejects ResNet-only options with the ones that apply', () => {
    expect(() => createModel('densenet121', { variant: 'v2' })).toThrow(/variant apply to ResNets only; DenseNets take numClasses/);
  });
});
