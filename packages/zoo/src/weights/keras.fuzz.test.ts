import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildResNet } from '../models/resnet.js';
import { applyByteMutations, byteMutations, FUZZ_OPTIONS, FUZZ_RUNS, Outcomes, type ByteMutation } from '../testing/fuzz.js';
import { makeKerasH5 } from '../testing/h5.js';
import { kerasTargets, loadKerasH5 } from './keras.js';
import { loadWeights } from './load.js';
import '../keras.js'; // the Keras HDF5 reader is its own entry (@resnet/zoo/keras)

// The smallest Keras-layout ResNet: every layer kind of the real files, a 24 KB file.
const model = buildResNet({ block: 'bottleneck', layers: [1, 1, 1, 1], widths: [2, 2, 2, 2], stemWidth: 2 }, { variant: 'v1', numClasses: 3, inputShape: [32, 32, 3] }, 'fuzz');
// HDF5's own failures arrive wrapped as "cannot read the HDF5 structure (…)"; a
// JavaScript slip of ours inside that wrapper (a TypeError) would still fail here.
const CLEAR = [/^Error: invalid Keras weights: (?!cannot read the HDF5 structure \((Cannot read|Cannot set|.* is not (a function|iterable)))/, /^WeightLoadError: /, /^Error: invalid weights: (non-finite values|BatchNorm running variances below zero) in \d+ /];

async function baseFile(): Promise<Uint8Array> {
  const layers = new Map<string, Array<{ name: string; data: Float32Array; shape: number[] }>>();
  for (const t of kerasTargets(model)) {
    const [layer, short] = t.key.split('/') as [string, string];
    const n = t.sourceShape.reduce((a, b) => a * b, 1);
    const list = layers.get(layer) ?? [];
    // Variances stay positive: the loader refuses negative ones, as no trained network holds them.
    const value = short === 'moving_variance' ? (i: number) => 1 + 0.5 * Math.sin(i) : (i: number) => Math.sin(i);
    list.push({ name: `${layer}/${short}:0`, data: Float32Array.from({ length: n }, (_, i) => value(i)), shape: t.sourceShape });
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

describe('Keras HDF5 reader on a file the HDF5 library loops on', () => {
  // Input 949 of seed 14: its mutated global heap sends H5Aread of `layer_names`
  // (a variable-length string attribute) into an endless loop inside h5wasm.
  const LOOPS: ByteMutation[] = [
    { kind: 'insert', at: 16237, bytes: Uint8Array.of(122, 116, 95, 35, 216, 200, 162, 95) },
    { kind: 'delete', at: 60149, n: 7 },
    { kind: 'set', at: 1053750360, value: 168 },
    { kind: 'insert', at: 4848, bytes: Uint8Array.of(18, 130, 54, 195, 87, 165, 195, 6, 62, 58, 15, 17) },
    { kind: 'flip', at: 56302, bit: 3 },
    { kind: 'delete', at: 57344, n: 4 },
  ];

  it('is refused with a clear error after the time limit, and the reader works afterwards', async () => {
    const base = await baseFile();
    const tensors = tf.memory().numTensors;
    const t0 = Date.now();
    await expect(loadKerasH5(model, applyByteMutations(base, LOOPS), { strict: false, timeLimitMs: 1500 })).rejects.toThrow(
      /^invalid Keras weights: the HDF5 library did not finish reading the file \(61933 bytes\) in 1\.5 s/,
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await loadWeights(model, base, { from: 'keras' })).toMatchObject({ ok: true });
  }, 30_000);
});
