/**
 * timm-style feature extraction. Expected channels and reductions are timm's
 * `feature_info` for these architectures (resnet50: 64/256/512/1024/2048 at
 * 2/4/8/16/32; densenet121: 64/256/512/1024/1024 at 2/4/8/16/32), which follow
 * from the layer widths and strides written in the comments below.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { getPretrained } from '../pretrained/table.js';
import { registerPretrained } from './pretrained.js';
import type { FetchLike } from '../net/fetch.js';
import { exportWeights } from '../weights/state-dict.js';
import { createModel } from './create.js';
import { getFeatureInfo } from './features.js';

const fast = { kernelInitializer: 'zeros' } as const;
const info = (m: { featureInfo: { channels: number; reduction: number }[] }) => m.featureInfo.map((f) => [f.channels, f.reduction]);

describe('features: { outIndices }', () => {
  it('ResNet-50: stem and four stages, with featureInfo; output sizes are input / reduction', () => {
    const f = createModel('resnet50', { features: { outIndices: [0, 1, 2, 3, 4] }, inputShape: [null, null, 3], ...fast });
    // stem conv stride 2 → 64; maxpool 2, bottleneck widths 64·4 … 512·4, stages 2–4 stride 2
    expect(info(f)).toEqual([[64, 2], [256, 4], [512, 8], [1024, 16], [2048, 32]]);
    expect(f.featureInfo.map((i) => i.module)).toEqual(['relu', 'layer1.2.relu', 'layer2.3.relu', 'layer3.5.relu', 'layer4.2.relu']);
    const shapes = tf.tidy(() => (f.predict(tf.ones([1, 64, 96, 3])) as tf.Tensor[]).map((t) => t.shape));
    expect(shapes).toEqual(f.featureInfo.map((i) => [1, 64 / i.reduction, 96 / i.reduction, i.channels]));
    expect(getFeatureInfo(f)).toBe(f.featureInfo);
    f.dispose();
    // default (features: true): the stages; order follows outIndices; negatives count from the end
    const t = createModel('resnet18', { features: true, ...fast });
    expect(info(t)).toEqual([[64, 4], [128, 8], [256, 16], [512, 32]]);
    const r = createModel('resnet18', { features: { outIndices: [-1, 1] }, ...fast });
    expect(r.featureInfo.map((i) => i.index)).toEqual([4, 1]);
    for (const m of [t, r]) m.dispose();
    // A model that stops early owns no weights past its last point.
    const before = tf.memory().numTensors;
    const early = createModel('resnet18', { features: { outIndices: [0, 1] }, ...fast });
    early.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("pre-activation ResNets end after the final norm; CIFAR ResNets have a stride-1 stem and three stages", () => {
    const v2 = createModel('resnet18', { variant: 'v2', features: { outIndices: [0, 4] }, ...fast });
    expect(v2.featureInfo.map((i) => i.module)).toEqual(['conv1', 'norm_relu']);
    const c = createModel('resnet20', { features: { outIndices: [0, 1, 2, 3] } });
    expect(info(c)).toEqual([[16, 1], [16, 1], [32, 2], [64, 4]]); // zero-pad shortcuts carry the stride
    for (const m of [v2, c]) m.dispose();
  });

  it('DenseNets: stem, dense blocks, and the final norm', () => {
    const d = createModel('densenet121', { features: { outIndices: [0, 1, 2, 3, 4] }, ...fast });
    // 64 + 6·32 = 256 → transition halves to 128; 128 + 12·32 = 512 → 256; 256 + 24·32 = 1024 → 512; 512 + 16·32 = 1024
    expect(info(d)).toEqual([[64, 2], [256, 4], [512, 8], [1024, 16], [1024, 32]]);
    expect(d.featureInfo.map((i) => i.module)).toEqual(['features.relu0', 'features.denseblock1.concat6', 'features.denseblock2.concat12', 'features.denseblock3.concat24', 'features.relu5']);
    const bc = createModel('densenetBC100', { features: true });
    expect(info(bc)).toEqual([[24 + 16 * 12, 1], [(24 + 16 * 12) / 2 + 16 * 12, 2], [((24 + 16 * 12) / 2 + 16 * 12) / 2 + 16 * 12, 4]]);
    for (const m of [d, bc]) m.dispose();
  });

  it('with pretrained weights: loaded into the whole backbone, features taken after; nothing leaks', async () => {
    const src = createModel('resnet20');
    const bytes = exportWeights(src, { to: 'torchvision' });
    registerPretrained('resnet20.features-test', {
      ...getPretrained('resnet18.tv_in1k'),
      model: 'resnet20',
      source: { url: 'https://example.invalid/zoo/resnet20-features.safetensors', format: 'torchvision', sha256: createHash('sha256').update(bytes).digest('hex') },
      numClasses: 10,
      labels: undefined,
    });
    const fetch: FetchLike = async () => ({ ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer });
    const before = tf.memory().numTensors;
    const f = await createModel('resnet20', { weights: 'resnet20.features-test', features: { outIndices: [1, 2] }, download: { cacheDir: mkdtempSync(join(tmpdir(), 'zoo-feat-')), fetch } });
    expect(f.featureInfo.map((i) => i.module)).toEqual(['layer1.2.relu', 'layer2.2.relu']);
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 3);
    const ref = tfl.model({ inputs: src.inputs, outputs: src.getLayer('layer2.2.relu').output as tfl.SymbolicTensor });
    const [got, want] = tf.tidy(() => [((f.predict(x) as tf.Tensor[])[1]!).arraySync(), (ref.predict(x) as tf.Tensor).arraySync()]);
    expect(got).toEqual(want);
    x.dispose();
    f.dispose(); // layer3 and the classifier were freed at load time
    expect(tf.memory().numTensors).toBe(before);
    src.dispose();
  });

  it('names bad indices and non-feature models', () => {
    expect(() => createModel('resnet18', { features: { outIndices: [5] }, ...fast })).toThrow(/outIndices \[5\] must be distinct integers in 0…4 .*5 feature points/);
    expect(() => createModel('resnet18', { features: { outIndices: [1, 1] }, ...fast })).toThrow(/distinct/);
    expect(() => createModel('resnet18', { features: 'all' as never, ...fast })).toThrow(/features: got "all"; valid: true, false or \{ outIndices/);
    const m = createModel('resnet18', fast);
    expect(() => getFeatureInfo(m)).toThrow(/not a feature model/);
    m.dispose();
  });
});
