import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { basicBlock, BLOCK_VARIANTS, bottleneckBlock, projectionShortcut, ResidualAdd, SHORTCUT_TYPES } from './index.js';

const shortcutsFor = (changes: boolean) =>
  SHORTCUT_TYPES.filter((s) => !(changes && s === 'identity'));

describe('output shapes: every variant × shortcut × stride', () => {
  for (const variant of BLOCK_VARIANTS) {
    for (const strides of [1, 2] as const) {
      for (const shortcut of shortcutsFor(true)) {
        it(`basic ${variant} ${shortcut} stride ${strides}: 8×8×4 → ${8 / strides}×${8 / strides}×8`, () => {
          const x = tfl.input({ shape: [8, 8, 4] });
          const y = basicBlock(x, { filters: 8, strides, shortcut, variant, name: 'b' });
          expect(y.shape).toEqual([null, 8 / strides, 8 / strides, 8]);
          const m = tfl.model({ inputs: x, outputs: y });
          const out = m.predict(tf.ones([2, 8, 8, 4])) as tf.Tensor;
          expect(out.shape).toEqual([2, 8 / strides, 8 / strides, 8]);
          out.dispose();
          const junctions = m.layers.filter((l) => l instanceof ResidualAdd);
          expect(junctions.length).toBe(shortcut === 'none' ? 0 : 1);
        });
        it(`bottleneck ${variant} ${shortcut} stride ${strides}: 7×7×8 → ${Math.ceil(7 / strides)}²×16`, () => {
          // Odd spatial size: checks the explicit stride-2 padding and ceil-mode avg pool.
          const x = tfl.input({ shape: [7, 7, 8] });
          const y = bottleneckBlock(x, { filters: 4, strides, shortcut, variant, name: 'k' });
          const s = Math.ceil(7 / strides);
          expect(y.shape).toEqual([null, s, s, 16]);
          const m = tfl.model({ inputs: x, outputs: y });
          const out = m.predict(tf.ones([1, 7, 7, 8])) as tf.Tensor;
          expect(out.shape).toEqual([1, s, s, 16]);
          out.dispose();
        });
      }
    }
    for (const shortcut of SHORTCUT_TYPES) {
      it(`basic ${variant} ${shortcut} with unchanged shape keeps 6×6×4`, () => {
        const x = tfl.input({ shape: [6, 6, 4] });
        const y = basicBlock(x, { filters: 4, shortcut, variant });
        expect(y.shape).toEqual([null, 6, 6, 4]);
      });
    }
  }

  it('projectionShortcut alone: 1×1 stride-2 conv + BN named like torchvision', () => {
    const x = tfl.input({ shape: [9, 9, 3] });
    const y = projectionShortcut(x, { filters: 6, strides: 2, name: 'layer2.0' });
    expect(y.shape).toEqual([null, 5, 5, 6]);
    const m = tfl.model({ inputs: x, outputs: y });
    expect(m.layers.map((l) => l.name)).toEqual(['input1', 'layer2.0.downsample.0', 'layer2.0.downsample.1'].map((n, i) => (i === 0 ? m.layers[0]!.name : n)));
  });
});
