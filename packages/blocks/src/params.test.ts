import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { basicBlock, bottleneckBlock } from './index.js';
import { countWeights } from './test-utils.js';

// Every expected count below is arithmetic: kernel sizes k·k·C_in·C_out, and per
// BatchNorm layer 2·C trainable (gamma, beta) + 2·C non-trainable (moving stats).
function build(cin: number, hw: number, f: (x: tfl.SymbolicTensor) => tfl.SymbolicTensor) {
  const x = tfl.input({ shape: [hw, hw, cin] });
  return tfl.model({ inputs: x, outputs: f(x) });
}
const trainable = (m: tfl.LayersModel) => m.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

describe('parameter counts of single blocks', () => {
  it('basic block at C channels: 2·9·C² conv weights + two BNs', () => {
    const C = 16;
    const m = build(C, 8, (x) => basicBlock(x, { filters: C }));
    expect(countWeights(m, 'kernel')).toBe(2 * 9 * C * C); // 4,608
    expect(trainable(m)).toBe(2 * 9 * C * C + 2 * 2 * C);
    expect(m.countParams()).toBe(2 * 9 * C * C + 2 * 4 * C);
  });

  it('bottleneck at output 256 / width 64: 69,632 conv weights, ~16.9× fewer than a basic block at 256', () => {
    const bott = build(256, 4, (x) => bottleneckBlock(x, { filters: 64 }));
    const convWeights = 256 * 64 + 9 * 64 * 64 + 64 * 256;
    expect(convWeights).toBe(69_632);
    expect(countWeights(bott, 'kernel')).toBe(convWeights);
    // BNs: 64 + 64 + 256 channels.
    expect(trainable(bott)).toBe(convWeights + 2 * (64 + 64 + 256));
    const basic = build(256, 4, (x) => basicBlock(x, { filters: 256 }));
    expect(countWeights(basic, 'kernel')).toBe(2 * 9 * 256 * 256); // 1,179,648
    const ratio = countWeights(basic, 'kernel') / countWeights(bott, 'kernel');
    expect(ratio).toBeCloseTo(16.94, 2);
  });

  it('a projection shortcut adds C_in·C_out + one BN; zero-pad adds nothing', () => {
    const [cin, cout] = [16, 32];
    const body = 9 * cin * cout + 9 * cout * cout;
    const proj = build(cin, 8, (x) => basicBlock(x, { filters: cout, strides: 2, shortcut: 'projection' }));
    expect(countWeights(proj, 'kernel')).toBe(body + cin * cout);
    expect(proj.countParams()).toBe(body + cin * cout + 3 * 4 * cout);
    const zp = build(cin, 8, (x) => basicBlock(x, { filters: cout, strides: 2, shortcut: 'zero-pad' }));
    expect(zp.countParams()).toBe(body + 2 * 4 * cout);
    const avg = build(cin, 8, (x) => basicBlock(x, { filters: cout, strides: 2, shortcut: 'avg-down' }));
    expect(avg.countParams()).toBe(proj.countParams());
  });

  it("'projection-always' adds C·C + BN even when the shape is unchanged; 'projection' does not", () => {
    const C = 8;
    const always = build(C, 4, (x) => basicBlock(x, { filters: C, shortcut: 'projection-always' }));
    const b = build(C, 4, (x) => basicBlock(x, { filters: C, shortcut: 'projection' }));
    expect(always.countParams() - b.countParams()).toBe(C * C + 4 * C);
  });

  it("v1 convs carry a bias per output channel; v2's projection has no BN", () => {
    const [cin, cout] = [8, 16];
    const v15 = build(cin, 8, (x) => basicBlock(x, { filters: cout, strides: 2 }));
    const v1 = build(cin, 8, (x) => basicBlock(x, { filters: cout, strides: 2, variant: 'v1' }));
    expect(v1.countParams() - v15.countParams()).toBe(3 * cout); // conv1, conv2, downsample.0
    const v2 = build(cin, 8, (x) => basicBlock(x, { filters: cout, strides: 2, variant: 'v2' }));
    // v2: BN on the input (cin) and before conv2 (cout); projection conv without BN.
    expect(v2.countParams()).toBe(9 * cin * cout + 9 * cout * cout + cin * cout + 4 * cin + 4 * cout);
  });

  it('ResNeXt 32×4d and Wide-2 widths follow floor(planes·baseWidth/64)·groups', () => {
    // resnext50_32x4d layer1.1: width = floor(64·4/64)·32 = 128; grouped 3×3 holds 9·128·128/32.
    const rx = build(256, 4, (x) => bottleneckBlock(x, { filters: 64, groups: 32, baseWidth: 4 }));
    expect(countWeights(rx, 'kernel')).toBe(256 * 128 + (9 * 128 * 128) / 32 + 128 * 256); // 70,144
    // wide_resnet50_2 layer1.1: width = floor(64·128/64) = 128.
    const wide = build(256, 4, (x) => bottleneckBlock(x, { filters: 64, baseWidth: 128 }));
    expect(countWeights(wide, 'kernel')).toBe(256 * 128 + 9 * 128 * 128 + 128 * 256); // 212,992
  });

  it('rezero adds exactly one trainable scalar', () => {
    const a = build(4, 4, (x) => basicBlock(x, { filters: 4 }));
    const r = build(4, 4, (x) => basicBlock(x, { filters: 4, rezero: true }));
    expect(trainable(r) - trainable(a)).toBe(1);
  });
});
