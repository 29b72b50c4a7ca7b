import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildResNet } from '../models/resnet.js';
import { createModel } from '../models/create.js';
import { fixturePath, readFixtureJson } from '../testing/fixtures.js';
import { formulaTensor } from '../testing/formula.js';
import { fromKerasLayerName, toKerasLayerName } from './names/keras.js';
import { kerasTargets } from './keras.js';
import { loadWeights } from './load.js';
import '../keras.js'; // the Keras HDF5 reader is its own entry (@resnet/zoo/keras)

interface KerasFixture {
  blocks: number[];
  widths: number[];
  stem: number;
  classes: number;
  layers: Array<[string, Array<[string, number[]]>]>;
}

const fx = readFixtureJson<KerasFixture>('keras_tiny_v1.json');
const tiny = () =>
  buildResNet(
    { block: 'bottleneck', layers: fx.blocks, widths: fx.widths, stemWidth: fx.stem },
    { variant: 'v1', numClasses: fx.classes, inputShape: [32, 32, 3] },
    'keras_tiny',
  );

describe('Keras applications HDF5 weights', () => {
  it('maps every weighted layer of an h5py file laid out like Keras applications', () => {
    const weighted = fx.layers.filter(([, ws]) => ws.length > 0).map(([n]) => n);
    for (const n of weighted) {
      const ours = fromKerasLayerName(n);
      expect(ours, n).toBeDefined();
      expect(toKerasLayerName(ours!)).toBe(n);
    }
    // and the model's view is exactly the file's weights
    const m = tiny();
    const fileKeys = fx.layers.flatMap(([, ws]) => ws.map(([w, s]) => `${w.replace(/:0$/, '')}|${s.join('x')}`));
    const modelKeys = kerasTargets(m).map((t) => `${t.key}|${t.sourceShape.join('x')}`);
    expect(modelKeys.sort()).toEqual(fileKeys.sort());
    m.dispose();
  });

  it('values land in the right tensors', async () => {
    const m = tiny();
    const report = await loadWeights(m, fixturePath('keras_tiny_v1.h5'), { from: 'keras' });
    expect(report).toMatchObject({ ok: true, missing: [], unexpected: [], mismatched: [] });
    expect(report.loaded.length).toBe(fx.layers.reduce((a, [, ws]) => a + ws.length, 0));
    let checked = 0;
    for (const layer of m.layers) {
      for (const v of layer.weights) {
        const w = v.originalName.slice(v.originalName.lastIndexOf('/') + 1);
        const expected = formulaTensor(`${toKerasLayerName(layer.name)}/${w}:0`, v.shape as number[]);
        expect([...v.read().dataSync()], v.originalName).toEqual([...expected]);
        checked++;
      }
    }
    expect(checked).toBe(report.loaded.length);
    m.dispose();
  });

  it('the name map covers Keras ResNet50/101 (53/104 convs, 320/626 weights)', () => {
    // Keras applications ResNet50: 1 stem conv + 3 per block + 4 shortcut convs;
    // each conv and BN has 2 and 4 weights; predictions 2.
    for (const [name, blocks] of [['resnet50', 16], ['resnet101', 33]] as const) {
      const m = createModel(name, { variant: 'v1', kernelInitializer: 'zeros' });
      const keys = kerasTargets(m).map((t) => t.key);
      const convs = 1 + 3 * blocks + 4;
      expect(keys.length).toBe(convs * 2 + convs * 4 + 2);
      for (const k of ['conv1_conv/kernel', 'conv1_bn/moving_variance', 'conv2_block1_0_conv/bias', 'conv5_block3_3_bn/gamma', 'predictions/kernel']) {
        expect(keys).toContain(k);
      }
      m.dispose();
    }
  });

  it('rejects non-HDF5 and truncated files, and non-v1 models, with clear errors', async () => {
    const m = tiny();
    const bytes = new Uint8Array(readFileSync(fixturePath('keras_tiny_v1.h5')));
    await expect(loadWeights(m, new Uint8Array(100), { from: 'keras' })).rejects.toThrow(/not an HDF5 file/);
    await expect(loadWeights(m, bytes.subarray(0, 4000), { from: 'keras' })).rejects.toThrow(/invalid Keras weights/);
    const v15 = buildResNet({ block: 'bottleneck', layers: [1, 1, 1, 1], widths: [4, 8, 16, 32], stemWidth: 8 }, { variant: 'v2', inputShape: [32, 32, 3] });
    await expect(loadWeights(v15, bytes, { from: 'keras' })).rejects.toThrow(/no Keras applications counterpart.*'v1'/);
    m.dispose();
    v15.dispose();
  });
});
