import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildResNet } from '../models/resnet.js';
import { applyByteMutations, byteMutations, FUZZ_OPTIONS, FUZZ_RUNS, Outcomes } from '../testing/fuzz.js';
import { makeKerasH5 } from '../testing/h5.js';
import { kerasTargets } from './keras.js';
import { loadWeights } from './load.js';

// The smallest Keras-layout ResNet: every layer kind of the real files, a 24 KB file.
const model = buildResNet({ block: 'bottleneck', layers: [1, 1, 1, 1], widths: [2, 2, 2, 2], stemWidth: 2 }, { variant: 'v1', numClasses: 3, inputShape: [32, 32, 3] }, 'fuzz');
// HDF5's own failures arrive wrapped as "cannot read the HDF5 structure (…)"; a
// JavaScript slip of ours inside that wrapper (a TypeError) would still fail here.
const CLEAR = [/^Error: invalid Keras weights: (?!cannot read the HDF5 structure \((Cannot read|Cannot set|.* is not (a function|iterable)))/, /^WeightLoadError: /];

async function baseFile(): Promise<Uint8Array> {
  const layers = new Map<string, Array<{ name: string; data: Float32Array; shape: number[] }>>();
  for (const t of kerasTargets(model)) {
    const [layer, short] = t.key.split('/') as [string, string];
    const n = t.sourceShape.reduce((a, b) => a * b, 1);
    const list = layers.get(layer) ?? [];
    list.push({ name: `${layer}/${short}:0`, data: Float32Array.from({ length: n }, (_, i) => Math.sin(i)), shape: t.sourceShape });
    layers.set(layer, list);
  }
  return makeKerasH5([...layers].map(([name, weights]) => ({ name, weights })));
}

afterAll(() => model.dispose());

describe(`Keras HDF5 reader under fuzzing (${FUZZ_RUNS} inputs)`, () => {
  it('mutated files: only its own clear errors, bounded memory, and the reader still works afterwards', async () => {
    const base = await baseFile();
    expect(await loadWeights(model, base, { from: 'keras' })).toMatchObject({ ok: true });
    const tensors = tf.memory().numTensors;
    const out = new Outcomes();
    const prop = fc.asyncProperty(byteMutations(base.byteLength), async (m) => {
      try {
        await loadWeights(model, applyByteMutations(base, m), { from: 'keras', strict: false });
        out.record(null, CLEAR);
      } catch (e) {
        out.record(e, CLEAR);
      }
    });
    await fc.assert(prop, FUZZ_OPTIONS);
    console.log(`${out.summary('keras h5')} (base file ${base.byteLength} bytes)`);
    expect(out.total).toBe(FUZZ_RUNS);
    expect(out.rssGrowthMiB).toBeLessThan(512);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await loadWeights(model, base, { from: 'keras' })).toMatchObject({ ok: true });
  });
});
