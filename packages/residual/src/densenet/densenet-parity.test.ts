// Parity with torchvision's DenseNet on a tiny configuration: same weights (from a formula of
// each state_dict name), same input, outputs from tools/fixtures/densenet_tiny.py.
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { maxAbsDiff } from '@resnet/test-utils';
import { expect, it } from 'vitest';
import { densenet } from './densenet.js';

interface Fixture {
  inputShapeNCHW: [number, number, number, number];
  params: Record<string, number[]>;
  featuresShapeNHWC: number[];
  featuresNHWC: number[];
  logits: number[][];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/densenet-tiny.json', import.meta.url), 'utf8')) as Fixture;

/** The fixture script's formula, value for value. */
function formula(name: string, shape: number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const h = [...name].reduce((s, c) => s + c.charCodeAt(0), 0) % 97;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const b = Math.sin(0.37 * i + 0.11 * h);
    if (name.endsWith('running_var')) out[i] = 0.5 + 0.25 * (1 + b);
    else if (name.endsWith('running_mean') || name.endsWith('bias')) out[i] = 0.1 * b;
    else if (name.includes('norm') && name.endsWith('weight')) out[i] = 1 + 0.1 * b;
    else out[i] = 0.2 * b;
  }
  return out;
}

const BN_ORDER = ['weight', 'bias', 'running_mean', 'running_var']; // tfjs: gamma, beta, moving mean, moving variance

it('a tiny DenseNet matches torchvision: features and logits (odd 29x29 input, stride-2 padding)', () => {
  const [n, c, h, w] = fixture.inputShapeNCHW;
  const opts = { growthRate: 4, blockConfig: [2, 2], numInitFeatures: 8, bnSize: 2, inputShape: [h, w, c] as [number, number, number] };
  const full = densenet({ ...opts, numClasses: 5 });
  const features = densenet({ ...opts, includeTop: false });
  const byLayer = new Map<string, Record<string, { name: string; shape: number[] }>>();
  for (const [name, shape] of Object.entries(fixture.params)) {
    const dot = name.lastIndexOf('.');
    const layer = name.slice(0, dot);
    byLayer.set(layer, { ...byLayer.get(layer), [name.slice(dot + 1)]: { name, shape } });
  }
  for (const m of [full, features]) {
    const weighted = m.layers.filter((l) => l.weights.length > 0).map((l) => l.name);
    // Every torchvision module has a same-named layer, and vice versa (no classifier without top).
    expect(weighted.sort()).toEqual([...byLayer.keys()].filter((k) => m === full || k !== 'classifier').sort());
    for (const [layer, p] of byLayer) {
      if (!weighted.includes(layer)) continue;
      const t = (k: string) => tf.tensor(formula(p[k]!.name, p[k]!.shape), p[k]!.shape);
      let ws: tf.Tensor[];
      if (p['running_var']) ws = BN_ORDER.map(t);
      else if (layer === 'classifier') ws = [tf.transpose(t('weight')), t('bias')];
      else ws = [tf.transpose(t('weight'), [2, 3, 1, 0])]; // OIHW → HWIO
      m.getLayer(layer).setWeights(ws);
      tf.dispose(ws);
    }
  }
  const nchw = Float32Array.from({ length: n * c * h * w }, (_, i) => Math.sin(0.05 * i) + 0.5 * Math.sin(0.0007 * i * i));
  const x = tf.tidy(() => tf.transpose(tf.tensor4d(nchw, [n, c, h, w]), [0, 2, 3, 1]));
  const before = tf.memory().numTensors;
  const f = features.predict(x) as tf.Tensor;
  const logits = full.predict(x) as tf.Tensor;
  expect(f.shape).toEqual(fixture.featuresShapeNHWC);
  const fErr = maxAbsDiff(f, fixture.featuresNHWC);
  const lErr = maxAbsDiff(logits, fixture.logits);
  console.log(`DenseNet tiny parity vs torchvision: max |Δ| features ${fErr.toExponential(2)}, logits ${lErr.toExponential(2)}`);
  expect(fErr).toBeLessThan(1e-4);
  expect(lErr).toBeLessThan(1e-5);
  tf.dispose([f, logits]);
  expect(tf.memory().numTensors).toBe(before);
  x.dispose();
  full.dispose();
  features.dispose();
});
