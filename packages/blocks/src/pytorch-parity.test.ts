import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import golden from '../../../tools/fixtures/blocks/golden.json' with { type: 'json' };
import { basicBlock, bottleneckBlock, type BottleneckArgs } from './index.js';
import { maxAbsDiff } from '@resnet/test-utils';

// Outputs of torchvision's BasicBlock / Bottleneck and the usual PyTorch forms of
// option A, avg-down and pre-activation blocks (tools/fixtures/blocks_golden.py),
// loaded through torchvision state-dict names: the names and layouts must match
// one to one (every key used once, every weight set), and the outputs to float32
// precision, in eval mode and with BatchNorm in training mode.

type Flat = { shape: number[]; data: number[] };
type Spec = BottleneckArgs & { builder: 'basic' | 'bottleneck' };

const nchwToNhwc = (f: Flat) => tf.transpose(tf.tensor(f.data, f.shape), [0, 2, 3, 1]);

function loadTorchStateDict(model: tfl.LayersModel, sd: Record<string, Flat>): void {
  const used = new Set<string>();
  const take = (key: string): tf.Tensor => {
    const f = sd[key];
    if (!f) throw new Error(`state dict has no '${key}'`);
    used.add(key);
    return tf.tensor(f.data, f.shape);
  };
  for (const layer of model.layers) {
    const ws = layer.weights;
    if (ws.length === 0) continue;
    const cls = layer.getClassName();
    let values: tf.Tensor[];
    if (cls === 'Conv2D' || cls === 'GroupedConv2D') {
      values = [tf.transpose(take(`${layer.name}.weight`), [2, 3, 1, 0])]; // OIHW → HWIO
    } else if (cls === 'BatchNormalization') {
      values = ['weight', 'bias', 'running_mean', 'running_var'].map((s) => take(`${layer.name}.${s}`));
    } else {
      throw new Error(`unexpected layer with weights: ${layer.name} (${cls})`);
    }
    layer.setWeights(values);
    tf.dispose(values);
  }
  expect(Object.keys(sd).filter((k) => !used.has(k))).toEqual([]);
}

describe('parity with PyTorch blocks (torchvision names, float32 outputs)', () => {
  for (const c of golden.cases) {
    it(c.title, () => {
      const [, ch, h, w] = c.input.shape as [number, number, number, number];
      const x = tfl.input({ shape: [h, w, ch] });
      let y = x;
      (c.blocks as unknown as Spec[]).forEach((spec, i) => {
        const { builder, ...args } = spec;
        y = builder === 'basic' ? basicBlock(y, { ...args, name: String(i) }) : bottleneckBlock(y, { ...args, name: String(i) });
      });
      const model = tfl.model({ inputs: x, outputs: y });
      loadTorchStateDict(model, c.stateDict as unknown as Record<string, Flat>);
      const xv = nchwToNhwc(c.input);
      const evalOut = model.predict(xv) as tf.Tensor;
      const trainOut = model.apply(xv, { training: true }) as tf.Tensor;
      const wantEval = nchwToNhwc(c.outputEval);
      const wantTrain = nchwToNhwc(c.outputTrain);
      expect(evalOut.shape).toEqual(wantEval.shape);
      expect(maxAbsDiff(evalOut, wantEval)).toBeLessThan(1e-5); // measured 2.5e-7 to 3.9e-7
      expect(maxAbsDiff(trainOut, wantTrain)).toBeLessThan(5e-5); // measured 1.3e-6 to 4.8e-6
      tf.dispose([xv, evalOut, trainOut, wantEval, wantTrain]);
      model.dispose();
    });
  }
});
