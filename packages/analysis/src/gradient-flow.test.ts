import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createModel } from '@resnet/zoo';
import { describe, expect, it } from 'vitest';
import { gradientFlow, type GradientFlowResult } from './gradient-flow.js';
import { softmaxCrossEntropy } from './loss.js';

function at(r: GradientFlowResult, name: string) {
  const l = r.layers.find((x) => x.name === name);
  if (!l) throw new Error(`no layer ${name}`);
  return l;
}

describe('gradientFlow', () => {
  it('equals gradients computed directly with tf.grads on a small model', async () => {
    const x = tfl.input({ shape: [3] });
    const h = tfl.layers.dense({ units: 4, name: 'h', activation: 'tanh', kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }) }).apply(x) as tfl.SymbolicTensor;
    const o = tfl.layers.dense({ units: 2, name: 'o', kernelInitializer: tfl.initializers.glorotNormal({ seed: 2 }) }).apply(h) as tfl.SymbolicTensor;
    const m = tfl.model({ inputs: x, outputs: o });
    const batch = { x: tf.tensor2d([[1, 2, 3], [0, -1, 0.5]]), y: tf.tensor1d([1, 0], 'int32') };
    const r = await gradientFlow(m, batch);
    const [hk, hb, ok, ob] = m.trainableWeights.map((w) => w.read());
    // Direct: loss as a function of (input, h-kernel, h-bias) and of the hidden activation.
    const lossOf = (xx: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => {
      const hid = tf.tanh(tf.add(tf.matMul(xx as tf.Tensor2D, k as tf.Tensor2D), b));
      return softmaxCrossEntropy(tf.add(tf.matMul(hid, ok as tf.Tensor2D), ob!), batch.y);
    };
    const [gx, gk, gb] = tf.grads(lossOf)([batch.x, hk!, hb!]);
    const hidden = tf.tanh(tf.add(tf.matMul(batch.x, hk as tf.Tensor2D), hb!));
    const gh = tf.grad((hh: tf.Tensor) => softmaxCrossEntropy(tf.add(tf.matMul(hh as tf.Tensor2D, ok as tf.Tensor2D), ob!), batch.y))(hidden);
    const n = (t: tf.Tensor) => tf.norm(t).dataSync()[0]!;
    expect(r.loss).toBeCloseTo(lossOf(batch.x, hk!, hb!).dataSync()[0]!, 5);
    expect(r.inputGradNorm).toBeCloseTo(n(gx!), 5);
    expect(at(r, 'h').weightGradNorm).toBeCloseTo(Math.hypot(n(gk!), n(gb!)), 5);
    expect(at(r, 'h').weightNorm).toBeCloseTo(Math.hypot(n(hk!), n(hb!)), 5);
    expect(at(r, 'h').outputGradNorm).toBeCloseTo(n(gh), 5);
    expect(r.layers.map((l) => [l.name, l.className, l.block])).toEqual([['h', 'Dense', 'stem'], ['o', 'Dense', 'stem']]);
    const noW = await gradientFlow(m, batch, { weights: false });
    expect(at(noW, 'h')).toMatchObject({ weightGradNorm: null, weightNorm: null });
    expect(at(noW, 'h').outputGradNorm).toBeCloseTo(n(gh), 5);
  });

  // At init with BatchNorm in training mode (PyTorch's model.train()), a deep plain
  // stack's gradients grow by orders of magnitude from its output back to its input
  // (they explode, Yang et al. 2019), a residual stack's stay within a small factor.
  // PyTorch reference for exactly this setup (scripts/gradient_flow_ref.py, 10 seeds):
  // ResNet-56 ratio 21-29 (median 22.8), plain-56 4.9e3-1.1e4 (median 6.0e3).
  // Small 8x8 inputs keep this fast on the cpu backend.
  it('shows the plain-56 vs ResNet-56 contrast at init', async () => {
    const batch = { x: tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 3), y: tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32') };
    const ratio: Record<string, number> = {};
    for (const name of ['resnet56', 'plain56'] as const) {
      const m = createModel(name, { inputShape: [null, null, 3] });
      const tensors = tf.memory().numTensors;
      const moving = m.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
      const r = await gradientFlow(m, batch, { weights: false });
      expect(tf.memory().numTensors).toBe(tensors);
      // Training-mode BatchNorm updated its moving statistics; gradientFlow put them back.
      expect(m.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()))).toEqual(moving);
      // Gradient norm at the stack's input (stem output) over that at its output (last block).
      ratio[name] = at(r, 'relu').outputGradNorm / at(r, 'layer3.8.relu').outputGradNorm;
      m.dispose();
    }
    console.log(`grad-norm ratio stack input / output at init: resnet56 ${ratio.resnet56!.toExponential(2)}, plain56 ${ratio.plain56!.toExponential(2)}`);
    // Bounds around the PyTorch spread, loose enough for other random draws.
    expect(ratio.resnet56!).toBeGreaterThan(10);
    expect(ratio.resnet56!).toBeLessThan(60);
    expect(ratio.plain56!).toBeGreaterThan(2000);
    expect(ratio.plain56! / ratio.resnet56!).toBeGreaterThan(50);
    tf.dispose([batch.x, batch.y]);
  });
});
