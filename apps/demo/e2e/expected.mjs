// The numbers the page must show, computed here in Node with the same @resnet
// packages (their built dist, as any consumer) on the tfjs cpu backend.
import * as tf from '@tensorflow/tfjs';
import { basicBlock, bottleneckBlock, projectionShortcut } from '@resnet/blocks';
import { countMacs, countParams, pathLengthDistribution } from '@resnet/analysis';
import { createModel } from '@resnet/zoo';

tf.enableProdMode();
await tf.setBackend('cpu');

export { pathLengthDistribution };

/** Built-block counts at width d: { basic|bottleneck|projection: { torch, keras } }. */
export function blockCounts(d) {
  const one = (build) => {
    const x = tf.input({ shape: [8, 8, build.cin] });
    const m = tf.model({ inputs: x, outputs: build.f(x) });
    const r = { torch: countParams(m, { convention: 'torch' }).total, keras: countParams(m).total };
    m.dispose();
    return r;
  };
  return {
    basic: one({ cin: d, f: (x) => basicBlock(x, { filters: d, name: 'basic' }) }),
    bottleneck: one({ cin: d, f: (x) => bottleneckBlock(x, { filters: d / 4, name: 'bottleneck' }) }),
    projection: one({ cin: d / 2, f: (x) => projectionShortcut(x, { filters: d, strides: 2, name: 'proj' }) }),
  };
}

/** Params (both conventions) and conv+fc MACs of one zoo model, built here. */
export function familyRow(name) {
  const m = createModel(name);
  const macs = countMacs(m);
  const r = {
    torch: countParams(m, { convention: 'torch' }).total,
    keras: countParams(m).total,
    macs: macs.byKind.conv + macs.byKind.dense,
  };
  m.dispose();
  return r;
}
