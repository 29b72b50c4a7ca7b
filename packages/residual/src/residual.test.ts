import * as tf from '@tensorflow/tfjs-core';
import { input, layers, model } from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { ResidualAdd } from '@resnet/blocks';
import { describe, expect, it } from 'vitest';
import { residual } from './residual.js';

const branch = (t: SymbolicTensor) => layers.dense({ units: 4, name: 'f' }).apply(t) as SymbolicTensor;

describe('residual', () => {
  it('is x + F(x) through a ResidualAdd that lesioning (gate = 0) turns into the identity', () => {
    const inp = input({ shape: [4] });
    const m = model({ inputs: inp, outputs: residual(inp, branch, { name: 'add' }) });
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const f = m.getLayer('f').apply(x) as tf.Tensor;
    const y = m.predict(x) as tf.Tensor;
    const want = tf.add(x, f);
    expect(Array.from(y.dataSync())).toEqual(Array.from(want.dataSync()));
    const junction = m.getLayer('add') as ResidualAdd;
    expect(junction).toBeInstanceOf(ResidualAdd);
    junction.gate = 0;
    const lesioned = m.predict(x) as tf.Tensor;
    expect(Array.from(lesioned.dataSync())).toEqual([1, 2, 3, 4]);
    tf.dispose([x, f, y, want, lesioned]);
    m.dispose();
  });

  it('rezero starts as the identity with one trainable scalar', () => {
    const inp = input({ shape: [4] });
    const m = model({ inputs: inp, outputs: residual(inp, branch, { rezero: true }) });
    expect(m.countParams()).toBe(4 * 4 + 4 + 1);
    const x = tf.tensor2d([[1, -2, 3, -4]]);
    const y = m.predict(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3, -4]);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('stochastic depth: in training each sample gets x or x + F(x)/(1 − p); inference is deterministic', () => {
    const p = 0.5;
    const inp = input({ shape: [4] });
    const m = model({ inputs: inp, outputs: residual(inp, branch, { dropPathRate: p }) });
    const x = tf.randomNormal([64, 4], 0, 1, 'float32', 4);
    const f = m.getLayer('f').apply(x) as tf.Tensor;
    const y = m.apply(x, { training: true }) as tf.Tensor;
    const xs = x.arraySync() as number[][];
    const fs = f.arraySync() as number[][];
    const ys = y.arraySync() as number[][];
    let dropped = 0;
    ys.forEach((row, i) => {
      const isDropped = row.every((v, j) => Math.abs(v - xs[i]![j]!) < 1e-5);
      const isKept = row.every((v, j) => Math.abs(v - (xs[i]![j]! + fs[i]![j]! / (1 - p))) < 1e-4);
      expect(isDropped || isKept).toBe(true);
      if (isDropped) dropped++;
    });
    // 64 Bernoulli(0.5) draws: 10..54 dropped has probability > 1 − 1e-8.
    expect(dropped).toBeGreaterThan(10);
    expect(dropped).toBeLessThan(54);
    const a = m.predict(x) as tf.Tensor;
    const want = tf.add(x, f);
    expect(tf.max(tf.abs(tf.sub(a, want))).dataSync()[0]!).toBeLessThan(1e-6);
    tf.dispose([x, f, y, a, want]);
    m.dispose();
  });
});
