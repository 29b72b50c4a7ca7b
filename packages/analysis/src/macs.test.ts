import * as tfl from '@tensorflow/tfjs-layers';
import { GroupedConv2D } from '@resnet/blocks';
import { describe, expect, it } from 'vitest';
import { countMacs } from './macs.js';

const apply = (layer: { apply: (x: tfl.SymbolicTensor) => unknown }, x: tfl.SymbolicTensor) => layer.apply(x) as tfl.SymbolicTensor;

describe('countMacs per layer type', () => {
  it('a single conv: H_out · W_out · C_out · k · k · C_in', () => {
    const x = tfl.input({ shape: [9, 9, 3] });
    const y = apply(tfl.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, name: 'c' }), x);
    const r = countMacs(tfl.model({ inputs: x, outputs: y }));
    // valid padding, stride 2: out = floor((9 - 3) / 2) + 1 = 4
    expect(r.byLayer).toEqual([{ name: 'c', className: 'Conv2D', kind: 'conv', macs: 4 * 4 * 5 * 3 * 3 * 3, outputShape: [4, 4, 5] }]);
    expect(r.total).toBe(2160);
    expect(r.inputShape).toEqual([9, 9, 3]);
  });

  it('grouped, depthwise, separable and transposed convs', () => {
    const x = tfl.input({ shape: [8, 8, 4] });
    const g = apply(new GroupedConv2D({ filters: 6, kernelSize: 3, padding: 'same', groups: 2, name: 'g' }), x);
    const d = apply(tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'd' }), g);
    const s = apply(tfl.layers.separableConv2d({ filters: 5, kernelSize: 3, padding: 'same', name: 's' }), d);
    const t = apply(tfl.layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, name: 't' }), s);
    const r = countMacs(tfl.model({ inputs: x, outputs: t }));
    const by = Object.fromEntries(r.byLayer.map((l) => [l.name, l.macs]));
    expect(by.g).toBe(8 * 8 * 6 * 3 * 3 * (4 / 2)); // each output sees cin/groups channels
    expect(by.d).toBe(8 * 8 * 12 * 3 * 3); // 6 channels × multiplier 2, one k×k filter each
    expect(by.s).toBe(8 * 8 * 12 * 3 * 3 + 8 * 8 * 12 * 5); // depthwise (×1) + pointwise
    expect(by.t).toBe(8 * 8 * 5 * 2 * 2 * 2); // every input element through a 2×2×2 kernel
  });

  it('dense, batch norm, pooling and adds', () => {
    const x = tfl.input({ shape: [8, 8, 4] });
    const b = apply(tfl.layers.batchNormalization({ name: 'bn' }), x);
    const m = apply(tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'mp' }), b);
    const a = tfl.layers.add({ name: 'add' }).apply([m, m]) as tfl.SymbolicTensor;
    const gp = apply(tfl.layers.globalAveragePooling2d({ name: 'gap' }), a);
    const f = apply(tfl.layers.dense({ units: 7, name: 'fc' }), gp);
    const r = countMacs(tfl.model({ inputs: x, outputs: f }));
    const by = Object.fromEntries(r.byLayer.map((l) => [l.name, l.macs]));
    expect(by).toEqual({ bn: 8 * 8 * 4, mp: 3 * 3 * 4 * 9, add: 3 * 3 * 4, gap: 3 * 3 * 4, fc: 4 * 7 });
    expect(r.byKind).toEqual({ conv: 0, dense: 28, norm: 256, pool: 324 + 36, add: 36, other: 0 });
  });

  it('counts at another input size, and says what to do when the size is unknown', () => {
    const x = tfl.input({ shape: [null, null, 3] });
    const y = apply(tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c' }), x);
    const model = tfl.model({ inputs: x, outputs: y });
    expect(() => countMacs(model)).toThrow(/unknown dimension.*pass \{ inputShape/);
    expect(countMacs(model, { inputShape: [16, 10, 3] }).total).toBe(16 * 10 * 4 * 27);
    expect(() => countMacs(model, { inputShape: [16, 10] })).toThrow(/inputShape must be 3 positive integers/);
  });

  it('expands nested models', () => {
    const xi = tfl.input({ shape: [6] });
    const inner = tfl.model({ inputs: xi, outputs: apply(tfl.layers.dense({ units: 3, name: 'd' }), xi), name: 'inner' });
    const x = tfl.input({ shape: [6] });
    const outer = tfl.model({ inputs: x, outputs: apply(tfl.layers.dense({ units: 2, name: 'head' }), inner.apply(x) as tfl.SymbolicTensor) });
    expect(countMacs(outer).byLayer.map((l) => [l.name, l.macs])).toEqual([['inner/d', 18], ['head', 6]]);
    const seq = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [6], units: 3, name: 'a' }), tfl.layers.dense({ units: 2, name: 'b' })] });
    expect(countMacs(seq).byLayer.map((l) => [l.name, l.macs])).toEqual([['a', 18], ['b', 6]]);
  });
});
