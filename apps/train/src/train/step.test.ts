import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCifarResNet } from '@resnet/zoo';
import { withSeededMathRandom } from '@resnet/blocks';
import { Sgd } from './sgd.js';
import { nonFiniteProbe, trainableVariables, trainStep } from './step.js';

// A ResNet-8 (widths 4/8/8) on 8×8 inputs: BatchNorm everywhere, so the forward pass moves moving statistics.
const model = withSeededMathRandom(1, () => buildCifarResNet(8, false, { widths: [4, 8, 8], inputShape: [8, 8, 3], numClasses: 10 })) as unknown as tf.LayersModel;
const vars = trainableVariables(model);
const sgd = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
const x = tf.randomNormal([6, 8, 8, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
const y = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32');
afterAll(() => {
  tf.dispose([x, y]);
  sgd.dispose();
  model.dispose();
});

/** Every weight of the model (BatchNorm moving statistics included) and every momentum buffer, as bytes. */
function snapshot(): Uint8Array[] {
  const tensors = [...model.weights.map((w) => w.read()), ...(sgd.state() ?? [])];
  return tensors.map((t) => new Uint8Array(t.dataSync().slice().buffer));
}

const movingStats = (): number[] => model.nonTrainableWeights.flatMap((w) => Array.from(w.read().dataSync()));

describe('trainStep guard', () => {
  it('applies a finite step, and that step moves weights and BatchNorm statistics', async () => {
    const stats0 = movingStats();
    const before = snapshot();
    const r = await trainStep(model, vars, sgd, x, y, 10, 0.05);
    expect(r.rejected).toBeNull();
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(movingStats()).not.toEqual(stats0);
    expect(snapshot().some((b, i) => before[i] && Buffer.compare(b, before[i]!) !== 0)).toBe(true);
  });

  it('rejects an update that overflows float32 and leaves the model, BN statistics and momentum exactly as before', async () => {
    const before = snapshot();
    const tensors = tf.memory().numTensors;
    // 3e38 is a finite float32, but lr·gradient is not.
    const r = await trainStep(model, vars, sgd, x, y, 10, 3e38);
    expect(r.rejected).toBe('update');
    expect(Number.isFinite(r.loss)).toBe(true);
    const after = snapshot();
    expect(after).toHaveLength(before.length);
    after.forEach((b, i) => expect(Buffer.compare(b, before[i]!), `tensor ${i}`).toBe(0));
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('rejects a NaN loss and restores the BN statistics its forward pass had already changed', async () => {
    const before = snapshot();
    const tensors = tf.memory().numTensors;
    const bad = tf.fill([6, 8, 8, 3], NaN) as tf.Tensor4D;
    const r = await trainStep(model, vars, sgd, bad, y, 10, 0.05);
    bad.dispose();
    expect(r.rejected).toBe('loss');
    snapshot().forEach((b, i) => expect(Buffer.compare(b, before[i]!), `tensor ${i}`).toBe(0));
    expect(tf.memory().numTensors).toBe(tensors);
    // The model trains on normally afterwards.
    expect((await trainStep(model, vars, sgd, x, y, 10, 0.05)).rejected).toBeNull();
  });

  it('with the guard off (bench only), that same overflowing update goes through', async () => {
    expect((await trainStep(model, vars, sgd, x, y, 10, 3e38)).rejected).toBe('update');
    const r = await trainStep(model, vars, sgd, x, y, 10, 3e38, { guard: false });
    expect(r.rejected).toBeNull();
    expect(model.trainableWeights.some((w) => Array.from(w.read().dataSync()).some((v) => !Number.isFinite(v)))).toBe(true);
  });
});

describe('nonFiniteProbe', () => {
  const probe = (values: number[][]): number => {
    const ts = values.map((v) => tf.tensor1d(v));
    const p = nonFiniteProbe(ts);
    const v = p.dataSync()[0]!;
    tf.dispose([...ts, p]);
    return v;
  };
  it('is 0 for finite tensors, even where a plain sum would overflow', async () => {
    expect(probe([[1, -2], [3.4e38, 3.4e38, 3.4e38]])).toBe(0);
    expect(probe([])).toBe(0);
  });
  it('is NaN when any element is NaN or ±Infinity', async () => {
    expect(probe([[1], [2, NaN]])).toBeNaN();
    expect(probe([[Infinity, 0]])).toBeNaN();
    expect(probe([[-Infinity]])).toBeNaN();
  });
});
