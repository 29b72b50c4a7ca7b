import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { basicBlock, bottleneckBlock } from './index.js';
import { maxAbsDiff } from '@resnet/test-utils';
import { formula, setFormulaWeights } from './test-utils.js';

// Two-block networks with hand-set weights, checked against a reference written
// here from the definitions: PyTorch-style convs (pad k//2 on every side, then
// 'valid'), BatchNorm at inference (x - mean) / sqrt(var + eps) · gamma + beta,
// and the two parameter-free operations written as plain loops so they do not
// borrow tfjs semantics: option-A zero-pad and PyTorch's
// AvgPool2d(2, 2, ceil_mode=True, count_include_pad=False).

const EPS = 1e-5;
type W = tf.Tensor[];
const weightsOf = (m: tfl.LayersModel, name: string): W => m.getLayer(name).getWeights();

function conv(x: tf.Tensor4D, w: W, stride: number): tf.Tensor4D {
  const k = w[0]!.shape[0]!;
  const p = Math.floor(k / 2);
  const padded = tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]);
  const y = tf.conv2d(padded, w[0] as tf.Tensor4D, stride, 'valid');
  return (w[1] ? tf.add(y, w[1]) : y) as tf.Tensor4D;
}
function bnInf(x: tf.Tensor4D, w: W): tf.Tensor4D {
  const [gamma, beta, mean, variance] = w as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS))), gamma), beta) as tf.Tensor4D;
}
const relu = (x: tf.Tensor4D) => tf.relu(x) as tf.Tensor4D;

/** x[:, ::s, ::s, :] with (cout - cin) zero channels, half before, half after. */
function zeroPadLoop(x: tf.Tensor4D, cout: number, s: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [ho, wo] = [Math.ceil(h / s), Math.ceil(w / s)];
  const before = Math.floor((cout - c) / 2);
  const src = x.arraySync();
  const out = new Float32Array(n * ho * wo * cout);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let k = 0; k < c; k++) out[((b * ho + i) * wo + j) * cout + before + k] = src[b]![i * s]![j * s]![k]!;
  return tf.tensor4d(out, [n, ho, wo, cout]);
}

/** PyTorch AvgPool2d(2, 2, ceil_mode=True, count_include_pad=False). */
function avgPoolCeilLoop(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [ho, wo] = [Math.ceil(h / 2), Math.ceil(w / 2)];
  const src = x.arraySync();
  const out = new Float32Array(n * ho * wo * c);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let k = 0; k < c; k++) {
          let sum = 0;
          let count = 0;
          for (let di = 0; di < 2; di++)
            for (let dj = 0; dj < 2; dj++) {
              const [r, q] = [2 * i + di, 2 * j + dj];
              if (r < h && q < w) {
                sum += src[b]![r]![q]![k]!;
                count++;
              }
            }
          out[((b * ho + i) * wo + j) * c + k] = sum / count;
        }
  return tf.tensor4d(out, [n, ho, wo, c]);
}

const input = (shape: [number, number, number, number]) => tf.tensor4d(formula(shape.reduce((a, b) => a * b), 99), shape);

describe('two-block networks with hand-set weights equal a hand computation', () => {
  it('v1.5 basic block with zero-pad shortcut, then bottleneck with avg-down (odd sizes 5 → 3 → 2)', () => {
    const x = tfl.input({ shape: [5, 5, 2] });
    const a = basicBlock(x, { filters: 4, strides: 2, shortcut: 'zero-pad', name: 'a' });
    const y = bottleneckBlock(a, { filters: 2, strides: 2, shortcut: 'avg-down', name: 'b' });
    const m = tfl.model({ inputs: x, outputs: y });
    setFormulaWeights(m);
    const xv = input([2, 5, 5, 2]);
    const got = m.predict(xv) as tf.Tensor;
    const want = tf.tidy(() => {
      const w = (n: string) => weightsOf(m, n);
      let h = relu(bnInf(conv(xv, w('a.conv1'), 2), w('a.bn1')));
      h = bnInf(conv(h, w('a.conv2'), 1), w('a.bn2'));
      const outA = relu(tf.add(zeroPadLoop(xv, 4, 2), h) as tf.Tensor4D);
      let g = relu(bnInf(conv(outA, w('b.conv1'), 1), w('b.bn1')));
      g = relu(bnInf(conv(g, w('b.conv2'), 2), w('b.bn2')));
      g = bnInf(conv(g, w('b.conv3'), 1), w('b.bn3'));
      const sc = bnInf(conv(avgPoolCeilLoop(outA), w('b.downsample.1'), 1), w('b.downsample.2'));
      return relu(tf.add(sc, g) as tf.Tensor4D);
    });
    expect(got.shape).toEqual([2, 2, 2, 8]);
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    // The shortcut and branch are not trivially zero: the check has teeth.
    expect(tf.tidy(() => tf.max(tf.abs(want)).dataSync()[0]!)).toBeGreaterThan(0.1);
    tf.dispose([got, want, xv]);
    m.dispose();
  });

  it('v2 basic block with projection (on the pre-activation), then v1 bottleneck with projection (stride on the 1×1, biases)', () => {
    const x = tfl.input({ shape: [6, 6, 3] });
    const a = basicBlock(x, { filters: 4, strides: 2, variant: 'v2', name: 'a' });
    const y = bottleneckBlock(a, { filters: 2, strides: 2, variant: 'v1', name: 'b' });
    const m = tfl.model({ inputs: x, outputs: y });
    setFormulaWeights(m);
    const xv = input([2, 6, 6, 3]);
    const got = m.predict(xv) as tf.Tensor;
    const want = tf.tidy(() => {
      const w = (n: string) => weightsOf(m, n);
      const pre = relu(bnInf(xv, w('a.bn1')));
      let h = relu(bnInf(conv(pre, w('a.conv1'), 2), w('a.bn2')));
      h = conv(h, w('a.conv2'), 1);
      const outA = tf.add(conv(pre, w('a.downsample.0'), 2), h) as tf.Tensor4D; // no ReLU after a v2 add
      let g = relu(bnInf(conv(outA, w('b.conv1'), 2), w('b.bn1')));
      g = relu(bnInf(conv(g, w('b.conv2'), 1), w('b.bn2')));
      g = bnInf(conv(g, w('b.conv3'), 1), w('b.bn3'));
      const sc = bnInf(conv(outA, w('b.downsample.0'), 2), w('b.downsample.1'));
      return relu(tf.add(sc, g) as tf.Tensor4D);
    });
    expect(weightsOf(m, 'b.conv1').length).toBe(2); // kernel + bias in v1
    expect(got.shape).toEqual([2, 2, 2, 8]);
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    tf.dispose([got, want, xv]);
    m.dispose();
  });

  it('grouped 3×3 equals an ordinary conv with a block-diagonal kernel', () => {
    const x = tfl.input({ shape: [5, 5, 8] });
    const y = bottleneckBlock(x, { filters: 4, groups: 2, baseWidth: 64, strides: 2, name: 'g' });
    const m = tfl.model({ inputs: x, outputs: y });
    setFormulaWeights(m);
    const xv = input([1, 5, 5, 8]);
    const got = m.predict(xv) as tf.Tensor;
    const want = tf.tidy(() => {
      const w = (n: string) => weightsOf(m, n);
      // width = floor(4·64/64)·2 = 8 channels in 2 groups of 4: kernel [3,3,4,8] → dense [3,3,8,8].
      const k = w('g.conv2')[0]!;
      expect(k.shape).toEqual([3, 3, 4, 8]);
      const kv = k.arraySync() as number[][][][];
      const dense = new Float32Array(3 * 3 * 8 * 8);
      for (let r = 0; r < 3; r++)
        for (let q = 0; q < 3; q++)
          for (let i = 0; i < 4; i++)
            for (let o = 0; o < 8; o++) {
              const grp = Math.floor(o / 4);
              dense[((r * 3 + q) * 8 + grp * 4 + i) * 8 + o] = kv[r]![q]![i]![o]!;
            }
      let g = relu(bnInf(conv(xv, w('g.conv1'), 1), w('g.bn1')));
      g = relu(bnInf(conv(g, [tf.tensor4d(dense, [3, 3, 8, 8])], 2), w('g.bn2')));
      g = bnInf(conv(g, w('g.conv3'), 1), w('g.bn3'));
      const sc = bnInf(conv(xv, w('g.downsample.0'), 2), w('g.downsample.1'));
      return relu(tf.add(sc, g) as tf.Tensor4D);
    });
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    tf.dispose([got, want, xv]);
    m.dispose();
  });
});
