import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { basicBlock, bottleneckBlock, GroupedConv2D, KaimingNormal, ResidualAdd, ZeroPadShortcut } from './index.js';
import { maxAbsDiff } from '@resnet/test-utils';
import { setFormulaWeights } from './test-utils.js';

async function roundTrip(model: tfl.LayersModel): Promise<{ loaded: tfl.LayersModel; artifacts: tf.io.ModelArtifacts }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
  return { loaded, artifacts: artifacts! };
}

describe('save to model.json + weights and load back', () => {
  it('a model of every block kind reloads with identical outputs, rezero gate and lesion included', async () => {
    const x = tfl.input({ shape: [7, 7, 4] });
    let y = basicBlock(x, { filters: 8, strides: 2, shortcut: 'zero-pad', rezero: true, name: 'layer1.0' });
    y = bottleneckBlock(y, { filters: 4, groups: 2, strides: 2, shortcut: 'avg-down', name: 'layer2.0' });
    y = basicBlock(y, { filters: 16, variant: 'v2', dropPathRate: 0.1, name: 'layer3.0' });
    const model = tfl.model({ inputs: x, outputs: y });
    setFormulaWeights(model); // also sets the rezero alpha to a non-zero value
    const junctions = model.layers.filter((l): l is ResidualAdd => l instanceof ResidualAdd);
    expect(junctions.map((j) => j.name)).toEqual(['layer1.0.add', 'layer2.0.add', 'layer3.0.add']);
    junctions[1]!.gate = 0.5;
    const alpha = junctions[0]!.getWeights()[0]!.dataSync()[0]!;
    expect(alpha).not.toBe(0);

    const { loaded, artifacts } = await roundTrip(model);
    const topology = JSON.stringify(artifacts.modelTopology);
    for (const cls of ['ResidualAdd', 'ZeroPadShortcut', 'GroupedConv2D', 'KaimingNormal']) expect(topology).toContain(`"${cls}"`);

    const xv = tf.randomNormal([2, 7, 7, 4], 0, 1, 'float32', 3);
    const a = model.predict(xv) as tf.Tensor;
    const b = loaded.predict(xv) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBe(0);
    const lj = loaded.layers.filter((l): l is ResidualAdd => l instanceof ResidualAdd);
    expect(lj.map((j) => [j.rezero, j.gate, j.dropPathRate])).toEqual([
      [true, 1, 0],
      [false, 0.5, 0],
      [false, 1, 0.1],
    ]);
    expect(lj[0]!.getWeights()[0]!.dataSync()[0]).toBe(alpha);
    expect(loaded.getLayer('layer1.0.downsample')).toBeInstanceOf(ZeroPadShortcut);
    expect(loaded.getLayer('layer2.0.conv2')).toBeInstanceOf(GroupedConv2D);
    expect(loaded.countParams()).toBe(model.countParams());
    tf.dispose([xv, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('the default kernel initializer survives serialization as KaimingNormal fan-out', async () => {
    const x = tfl.input({ shape: [4, 4, 2] });
    const model = tfl.model({ inputs: x, outputs: basicBlock(x, { filters: 2, name: 'b' }) });
    const { loaded } = await roundTrip(model);
    const init = (loaded.getLayer('b.conv1') as unknown as { kernelInitializer: unknown }).kernelInitializer;
    expect(init).toBeInstanceOf(KaimingNormal);
    expect((init as KaimingNormal).mode).toBe('fanOut');
    expect((init as KaimingNormal).gain).toBeCloseTo(Math.SQRT2, 12);
    model.dispose();
    loaded.dispose();
  });
});
