import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createModel } from '../models/create.js';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../safetensors/dtype.js';
import { logicalTensors, quantizeInt8PerChannel, roundHalfEven, weightDtypeOf } from '../safetensors/quantize.js';
import { parseSafetensors, readTensorAsFloat32 } from '../safetensors/read.js';
import { writeSafetensors } from '../safetensors/write.js';
import { formulaSafetensors, readFixtureJson, type GoldenModel } from '../testing/fixtures.js';
import { convertWeights } from './dtype-variants.js';
import { loadWeights } from './load.js';
import { exportWeights } from './state-dict.js';

const golden = readFixtureJson<Record<string, GoldenModel>>('golden.json');

describe('q8 quantization arithmetic', () => {
  it('rounds ties to even, as numpy and torch.round do', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3]);
  });

  it('one symmetric scale per output channel: max|w| / 127; a zero channel gets scale 1', () => {
    const { q, scale } = quantizeInt8PerChannel(new Float32Array([0.5, -1, 0.25, 2, 0, 0]), [3, 2]);
    // channel 0: scale 1/127, 0.5 * 127 = 63.5 → 64 (tie to even), -1 → -127
    // channel 1: scale 2/127, 0.25 / (2/127) = 15.875 → 16, 2 → 127
    expect(Array.from(scale)).toEqual([Math.fround(1 / 127), Math.fround(2 / 127), 1]);
    expect(Array.from(q)).toEqual([64, -127, 16, 127, 0, 0]);
  });

  it('refuses a non-finite weight and a tensor without output channels', () => {
    expect(() => quantizeInt8PerChannel(new Float32Array([1, NaN]), [1, 2])).toThrow(/channel 0 holds a non-finite value/);
    expect(() => quantizeInt8PerChannel(new Float32Array([1, 2]), [2])).toThrow(/rank >= 2/);
  });
});

describe('fp16 and q8 variants of a ResNet-18 state dict', () => {
  const fp32 = formulaSafetensors(golden.resnet18!.keys);
  const fp16 = convertWeights(fp32, 'fp16');
  const q8 = convertWeights(fp32, 'q8');

  it('bytes: fp16 data 0.5× (file ≤ 0.5002×: the JSON header does not halve) and q8 ≤ 0.27× of fp32 (sizes printed)', () => {
    const mib = (b: Uint8Array) => `${(b.byteLength / 2 ** 20).toFixed(2)} MiB`;
    const data = (b: Uint8Array) => b.byteLength - 8 - Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
    console.log(
      `resnet18: fp32 ${mib(fp32)}, fp16 ${mib(fp16)} (${(fp16.byteLength / fp32.byteLength).toFixed(5)}× the file, ` +
        `${(data(fp16) / data(fp32)).toFixed(5)}× the data), q8 ${mib(q8)} (${(q8.byteLength / fp32.byteLength).toFixed(5)}×)`,
    );
    // Only the 20 int64 BatchNorm counters keep their 8 bytes each.
    expect(data(fp16)).toBe((data(fp32) - 20 * 8) / 2 + 20 * 8);
    expect(fp16.byteLength / fp32.byteLength).toBeLessThanOrEqual(0.5002);
    expect(q8.byteLength / fp32.byteLength).toBeLessThanOrEqual(0.27);
    // and not trivially: a file of nothing would pass the ratios
    expect(q8.byteLength).toBeGreaterThan(golden.resnet18!.keys.reduce((a, [, s]) => a + s.reduce((x, y) => x * y, 1), 0) * 0.99);
  });

  it('layouts: F16 floats; q8 I8 conv/linear weights with F32 scales, F32 biases and BatchNorm; counters kept; dtype recorded', () => {
    const h = parseSafetensors(fp16);
    const q = parseSafetensors(q8);
    expect(weightDtypeOf(parseSafetensors(fp32))).toBe('fp32');
    expect(weightDtypeOf(h)).toBe('fp16');
    expect(weightDtypeOf(q)).toBe('q8');
    expect(h.metadata).toMatchObject({ format: 'pt', 'resnet.dtype': 'fp16' });
    expect(q.metadata).toMatchObject({ format: 'pt', 'resnet.dtype': 'q8' });
    expect(h.entries.get('layer1.0.conv1.weight')).toMatchObject({ dtype: 'F16', shape: [64, 64, 3, 3] });
    expect(h.entries.get('bn1.running_var')!.dtype).toBe('F16');
    expect(q.entries.get('layer1.0.conv1.weight')).toMatchObject({ dtype: 'I8', shape: [64, 64, 3, 3] });
    expect(q.entries.get('layer1.0.conv1.weight.scale')).toMatchObject({ dtype: 'F32', shape: [64] });
    expect(q.entries.get('fc.weight.scale')).toMatchObject({ dtype: 'F32', shape: [1000] });
    expect(q.entries.get('fc.bias')!.dtype).toBe('F32');
    expect(q.entries.get('bn1.weight')!.dtype).toBe('F32');
    for (const f of [h, q]) expect(f.entries.get('bn1.num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [] });
  });

  it('values: fp16 is the float16 rounding of each value, q8 is q × scale of its channel', () => {
    const f = parseSafetensors(fp32);
    const w = readTensorAsFloat32(f, 'layer2.0.conv1.weight');
    const half = logicalTensors(parseSafetensors(fp16)).get('layer2.0.conv1.weight')!.read();
    w.forEach((v, i) => i % 997 === 0 && expect(half[i]).toBe(float16BitsToFloat32(float32ToFloat16Bits(v))));
    const deq = logicalTensors(parseSafetensors(q8)).get('layer2.0.conv1.weight')!.read();
    // channel 5 by hand: scale = max |w| / 127, each value within half a step of the original
    const per = 64 * 3 * 3;
    const ch = w.subarray(5 * per, 6 * per);
    const step = Math.fround(Math.max(...Array.from(ch, Math.abs)) / 127);
    ch.forEach((v, i) => {
      expect(Math.abs(deq[5 * per + i]! - v)).toBeLessThanOrEqual(step / 2 + 1e-9);
      const k = deq[5 * per + i]! / step; // an integer number of steps
      expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-4);
    });
  });

  it('loads into createModel: every weight equals the dequantized file value; no tensors leak', async () => {
    const before = tf.memory().numTensors;
    for (const [name, bytes] of [['fp16', fp16], ['q8', q8]] as const) {
      const m = createModel('resnet18', { inputShape: [32, 32, 3] });
      const report = await loadWeights(m, bytes, { from: 'torchvision' });
      expect(report.ok, name).toBe(true);
      expect(report.unexpected, `${name}: the scales are not stray keys`).toEqual([]);
      // exported back to fp32, the model holds exactly the dequantized values
      const back = logicalTensors(parseSafetensors(exportWeights(m, { to: 'torchvision' })));
      for (const [key, t] of logicalTensors(parseSafetensors(bytes))) {
        if (key.endsWith('num_batches_tracked')) continue;
        const [got, want] = [back.get(key)!.read(), t.read()];
        const bad = want.findIndex((v, i) => !Object.is(v, got[i]));
        expect(got.length === want.length && bad === -1, `${name} ${key}: element ${bad}`).toBe(true);
      }
      m.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('bad input: a truncated variant, a variant converted again, a scale that does not fit, an fp16 overflow', async () => {
    const m = createModel('resnet18', { inputShape: [32, 32, 3] });
    const snapshot = m.getWeights()[0]!.dataSync().slice();
    await expect(loadWeights(m, q8.subarray(0, q8.byteLength - 100), { from: 'torchvision' })).rejects.toThrow(/invalid safetensors file: .*truncated/);
    expect(m.getWeights()[0]!.dataSync()).toEqual(snapshot);
    m.dispose();
    expect(() => convertWeights(q8, 'fp16', 'r18.q8.safetensors')).toThrow("convert r18.q8.safetensors: the file is already q8; convert from the fp32 file");
    expect(() => convertWeights(fp16, 'q8')).toThrow(/already fp16/);
    expect(() => convertWeights(fp32, 'int4' as 'q8')).toThrow(`convertWeights: dtype must be 'fp16' or 'q8'; got "int4"`);
    const badScale = writeSafetensors({ 'fc.weight': { shape: [2, 3], data: [1, 2, 3, 4, 5, 6], dtype: 'I8' }, 'fc.weight.scale': { shape: [3], data: [1, 1, 1] } });
    expect(() => logicalTensors(parseSafetensors(badScale))).toThrow(
      "invalid q8 safetensors file: 'fc.weight.scale' is F32 [3]; the I8 weight 'fc.weight' [2, 3] needs F32 [2] (one scale per output channel)",
    );
    const zeroScale = writeSafetensors({ 'fc.weight': { shape: [2, 1], data: [1, 2], dtype: 'I8' }, 'fc.weight.scale': { shape: [2], data: [0.5, 0] } });
    expect(() => logicalTensors(parseSafetensors(zeroScale)).get('fc.weight')!.read()).toThrow(/'fc.weight.scale' channel 1 is 0; scales must be finite and positive/);
    const big = writeSafetensors({ 'bn.running_var': { shape: [2], data: [1, 70000] } });
    expect(() => convertWeights(big, 'fp16', 'big.safetensors')).toThrow(
      "convert big.safetensors to fp16: tensor 'bn.running_var' holds 70000 at element 1, beyond fp16's largest value 65504; keep this model in fp32 or q8",
    );
  });
});
