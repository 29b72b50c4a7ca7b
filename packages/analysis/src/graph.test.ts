import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { graphNodes, nodeShapes, runGraph } from './graph.js';

// in → a (dense 3) → b (dense 3) → c (dense 2)
function chain() {
  const x = tfl.input({ shape: [3] });
  const init = (seed: number) => tfl.initializers.glorotNormal({ seed });
  const a = tfl.layers.dense({ units: 3, name: 'a', kernelInitializer: init(1) }).apply(x) as tfl.SymbolicTensor;
  const b = tfl.layers.dense({ units: 3, name: 'b', kernelInitializer: init(2) }).apply(a) as tfl.SymbolicTensor;
  const c = tfl.layers.dense({ units: 2, name: 'c', kernelInitializer: init(3) }).apply(b) as tfl.SymbolicTensor;
  return { model: tfl.model({ inputs: x, outputs: c }), x, a, b, c };
}

describe('runGraph', () => {
  it('reproduces predict, and skips a layer by substitution (also the first one)', () => {
    const { model, x, a, b } = chain();
    const input = tf.tensor2d([[1, 2, 3]]);
    expect(tf.tidy(() => runGraph(model, input)[0]!.arraySync())).toEqual((model.predict(input) as tf.Tensor).arraySync());
    const [la, lb, lc] = ['a', 'b', 'c'].map((n) => model.getLayer(n));
    // Skip b: c(a(x)).
    const skipB = tf.tidy(() => runGraph(model, input, { substitute: new Map([[b.id, a.id]]) })[0]!.arraySync());
    expect(skipB).toEqual(tf.tidy(() => (lc!.apply(la!.apply(input) as tf.Tensor) as tf.Tensor).arraySync()));
    // Skip a (fed by the model input): c(b(x)).
    const skipA = tf.tidy(() => runGraph(model, input, { substitute: new Map([[a.id, x.id]]) })[0]!.arraySync());
    expect(skipA).toEqual(tf.tidy(() => (lc!.apply(lb!.apply(input) as tf.Tensor) as tf.Tensor).arraySync()));
    input.dispose();
  });

  it('lists nodes in execution order and computes shapes for another input size', () => {
    const x = tfl.input({ shape: [null, null, 1] });
    const y = tfl.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, name: 'c' }).apply(x) as tfl.SymbolicTensor;
    const m = tfl.model({ inputs: x, outputs: y });
    expect(graphNodes(m).map((n) => n.outboundLayer.name)).toEqual(['c']);
    expect(nodeShapes(m, [9, 7, 1])[0]!.outputShapes).toEqual([[null, 4, 3, 2]]);
    expect(() => nodeShapes(m, [9, 7])).toThrow(/inputShape must be 3 positive integers/);
  });
});
