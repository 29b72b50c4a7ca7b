import * as tfl from '@tensorflow/tfjs-layers';
import { basicBlock } from '@resnet/blocks';
import { describe, expect, it } from 'vitest';
import { formatMacs, summary } from './summary.js';

function small(): tfl.LayersModel {
  const x = tfl.input({ shape: [4, 4, 2], name: 'input' });
  let y = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, name: 'conv1' }).apply(x) as tfl.SymbolicTensor;
  y = basicBlock(y, { filters: 4, name: 'layer1.0' });
  y = tfl.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.dense({ units: 3, name: 'fc' }).apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: y });
}

describe('summary', () => {
  it('gives one row per layer with shape, params and MACs, and totals naming the convention', () => {
    const s = summary(small(), { convention: 'torch' });
    const row = (n: string) => s.rows.find((r) => r.name === n)!;
    expect(s.rows[0]).toEqual({ name: 'input', className: 'InputLayer', outputShape: [4, 4, 2], params: 0, trainable: 0, macs: 0 });
    expect(row('conv1')).toEqual({ name: 'conv1', className: 'Conv2D', outputShape: [4, 4, 4], params: 72, trainable: 72, macs: 4 * 4 * 4 * 3 * 3 * 2 });
    expect(row('layer1.0.bn1')).toMatchObject({ params: 8, macs: 64 });
    expect(row('fc')).toMatchObject({ outputShape: [3], params: 15, macs: 12 });
    // conv1 72 + block (2 × 3·3·4·4 + 2 × 2·4) + fc 15
    expect(s.totals).toEqual({ params: 72 + 304 + 15, trainable: 391, nonTrainable: 0, macs: s.rows.reduce((a, r) => a + r.macs, 0) });
    expect(s.text).toContain('conv1 (Conv2D)');
    expect(s.text).toMatch(/Total params: 391 \(torch convention: BatchNorm moving statistics not counted\)/);
    const keras = summary(small());
    expect(keras.totals).toMatchObject({ params: 391 + 16, nonTrainable: 16 });
    expect(keras.text).toMatch(/keras convention/);
  });

  it('groups rows by block and prints only on request', () => {
    const printed: string[] = [];
    const s = summary(small(), { by: 'block', print: (t) => printed.push(t) });
    expect(s.rows.map((r) => r.name)).toEqual(['stem', 'layer1.0', 'head']);
    expect(s.rows[1]!.outputShape).toEqual([4, 4, 4]);
    expect(printed).toEqual([s.text]);
    expect(() => summary(small(), { by: 'stage' as 'block' })).toThrow(/by must be 'layer' or 'block', got "stage"/);
  });

  it('formats MACs with SI prefixes', () => {
    expect([formatMacs(4_107_724_288), formatMacs(40_829_568), formatMacs(999)]).toEqual(['4.11 G', '40.8 M', '999']);
  });
});
