/**
 * The zoo against the PyTorch definitions users train with (tools/resnet_ddp's
 * resnet_models.py, torchvision for the ImageNet family): fixtures written by
 * tools/fixtures/cifar_parity.py. For each configuration the trainable
 * parameter count and exportWeights' keys and shapes equal PyTorch's state dict
 * (so a zoo export loads strictly into the PyTorch model); for the small CIFAR
 * ones, PyTorch's weights load strictly and give PyTorch's logits.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseSafetensors } from '../safetensors/read.js';
import { maxRelDiff } from '@resnet/test-utils';
import { fixturePath, readFixtureJson } from '../testing/fixtures.js';
import { nchwToNhwc } from '../testing/formula.js';
import { trainableParams } from '../testing/params.js';
import { exportWeights } from '../weights/state-dict.js';
import { loadWeights } from '../weights/load.js';
import { buildCifarResNet } from './cifar.js';
import { createModel } from './create.js';
import { buildModel, listModels } from './registry.js';
import type { ModelOptions } from './options.js';

interface ParityConfig {
  name: string;
  model: string;
  options: Pick<ModelOptions, 'widths' | 'variant' | 'shortcut'>;
  inputShape: [number, number, number];
  numClasses: number;
  params: number;
  keys: Array<[string, number[]]>;
  input?: { shape: [number, number, number, number]; data: number[] };
  logits?: number[][];
}

const { configs } = readFixtureJson<{ configs: ParityConfig[] }>('cifar_parity.json');

/** Registered names through createModel; other CIFAR depths (resnet8, plain8, resnet14) through their builder. */
function build(c: ParityConfig) {
  const opts = { ...c.options, inputShape: c.inputShape, numClasses: c.numClasses };
  if (listModels().includes(c.model)) return buildModel(c.model, opts); // a name typed string: buildModel is the sync, weightless createModel
  const [, kind, depth] = /^(resnet|plain)(\d+)$/.exec(c.model)!;
  return buildCifarResNet(Number(depth), kind === 'plain', opts);
}

describe('zoo models equal the PyTorch models of tools/resnet_ddp', () => {
  it('covers the CIFAR variants, shortcuts, odd widths and sizes, plain twins and a torchvision model', () => {
    expect(configs.map((c) => c.name)).toEqual(expect.arrayContaining(['resnet8_v2_projection', 'resnet14_odd_pad_odd_size', 'plain8_v2', 'resnet18_one_channel']));
    expect(configs.filter((c) => c.logits).length).toBe(8);
  });

  for (const c of configs) {
    it(`${c.name}: ${c.params} parameters and exportWeights keys/shapes as PyTorch's state dict`, () => {
      const before = tf.memory().numTensors;
      const m = build(c);
      expect(trainableParams(m)).toBe(c.params);
      const file = parseSafetensors(exportWeights(m, { to: 'torchvision' }));
      const exported = [...file.entries.values()].map((e) => [e.name, e.shape]);
      expect(new Map(exported as Array<[string, number[]]>)).toEqual(new Map(c.keys));
      m.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }, 60_000);
  }

  for (const c of configs.filter((x) => x.logits)) {
    it(`${c.name}: PyTorch's weights load strictly and give PyTorch's logits`, async () => {
      const m = build(c);
      const report = await loadWeights(m, fixturePath(`cifar_parity_${c.name}.safetensors`), { from: 'torchvision' });
      expect(report.ok).toBe(true);
      const [n, ch, h, w] = c.input!.shape;
      const y = tf.tidy(() => (m.predict(tf.tensor4d(nchwToNhwc(Float32Array.from(c.input!.data), c.input!.shape), [n, h, w, ch])) as tf.Tensor).arraySync() as number[][]);
      expect(maxRelDiff(y, c.logits!)).toBeLessThanOrEqual(1e-5);
      m.dispose();
    });
  }
});
