import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ResidualAdd, basicBlock } from '@resnet/blocks';
import { createModel } from '@resnet/zoo';
import { describe, expect, it } from 'vitest';
import { lesion, residualJunctions, withLesion } from './lesion.js';

// A stem conv and two basic blocks, the second downsampling with a projection.
function twoBlocks(): tfl.LayersModel {
  const x = tfl.input({ shape: [8, 8, 3] });
  let y = tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'conv1' }).apply(x) as tfl.SymbolicTensor;
  y = basicBlock(y, { filters: 8, name: 'layer1.0' });
  y = basicBlock(y, { filters: 16, strides: 2, name: 'layer2.0' });
  return tfl.model({ inputs: x, outputs: y });
}

describe('residualJunctions', () => {
  it('lists the ResidualAdd layers in order', () => {
    const m = createModel('resnet20');
    const j = residualJunctions(m);
    expect(j).toHaveLength(9);
    expect(j.every((l) => l instanceof ResidualAdd)).toBe(true);
    expect(j.map((l) => l.name).slice(0, 4)).toEqual(['layer1.0.add', 'layer1.1.add', 'layer1.2.add', 'layer2.0.add']);
    expect(residualJunctions(createModel('plain20'))).toEqual([]);
  });
});

describe('lesion', () => {
  it('with the gate at 0 a junction outputs exactly its shortcut; restore brings the branch back', () => {
    const m = twoBlocks();
    const junctions = residualJunctions(m);
    // Expose each junction's two inputs and its output.
    const probe = tfl.model({
      inputs: m.inputs,
      outputs: junctions.flatMap((j) => [...(j.input as tfl.SymbolicTensor[]), j.output as tfl.SymbolicTensor]),
    });
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 7);
    const run = () => (probe.predict(x) as tf.Tensor[]).map((t) => t.arraySync());
    const before = run();
    const l = lesion(m, [0, 'layer2.0.add']);
    expect(l.junctions.map((j) => j.gate)).toEqual([0, 0]);
    const [s0, b0, o0, s1, b1, o1] = run();
    expect(o0).toEqual(s0); // bit-for-bit the shortcut (identity)
    expect(o1).toEqual(s1); // bit-for-bit the shortcut (projection)
    expect(b0).not.toEqual(o0);
    expect(b1).not.toEqual(o1);
    l.restore();
    l.restore();
    expect(junctions.map((j) => j.gate)).toEqual([1, 1]);
    expect(run()).toEqual(before);
    x.dispose();
  });

  it('restores the previous gate, not 1, and withLesion restores after a throw', async () => {
    const m = twoBlocks();
    const [j0] = residualJunctions(m);
    j0!.gate = 0.5;
    await expect(withLesion(m, [0], () => {
      expect(j0!.gate).toBe(0);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(j0!.gate).toBe(0.5);
  });

  it('names the valid range for a bad index or name', () => {
    const m = twoBlocks();
    expect(() => lesion(m, [2])).toThrow(/block index 2 is out of range; this model has 2 residual junctions \(valid 0\.\.1\)/);
    expect(() => lesion(m, ['layer9.0.add'])).toThrow(/no residual junction named 'layer9.0.add'; known: layer1.0.add, layer2.0.add/);
  });
});
