import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Shape } from '@tensorflow/tfjs-layers';

/** Constructor arguments of {@link HighwayGate}: only the standard layer name. */
export interface HighwayGateArgs {
  /** Layer name; builders pass a torchvision-style module path. */
  name?: string;
}

/**
 * The weightless junction of a highway layer (Srivastava et al. 2015): called on
 * `[x, h, t]` it returns `h·t + x·(1 − t)`, computed as `x + t·(h − x)`.
 *
 * It is a layer of its own, rather than a chain of `multiply`/`add` layers, because
 * tfjs-layers has no `Lambda` layer to form `1 − t`; being a registered leaf layer also
 * keeps a model that contains it saveable to model.json.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [32] });
 * const h = tf.layers.dense({ units: 32, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
 * const t = tf.layers.dense({ units: 32, activation: 'sigmoid', biasInitializer: tf.initializers.constant({ value: -2 }) }).apply(x) as tf.SymbolicTensor;
 * const y = new HighwayGate({ name: 'hw.gate' }).apply([x, h, t]) as tf.SymbolicTensor; // h·t + x·(1 − t)
 * ```
 */
export class HighwayGate extends layers.Layer {
  /** Name under which the class is registered for (de)serialization. */
  static className = 'HighwayGate';

  /** Creates the junction; it owns no weights. */
  constructor(args: HighwayGateArgs = {}) {
    super(args);
  }

  /** The output has the shape of `x` (all three inputs share it). */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    if (!Array.isArray(shapes[0]) || shapes.length !== 3) {
      throw new Error(`HighwayGate expects three inputs [x, h, t]; got ${JSON.stringify(inputShape)}`);
    }
    return shapes[0];
  }

  /** Computes `x + t·(h − x)`. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      if (!Array.isArray(inputs) || inputs.length !== 3) {
        throw new Error(`HighwayGate expects three inputs [x, h, t]; got ${Array.isArray(inputs) ? inputs.length : 1}`);
      }
      const [x, h, t] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor];
      return tf.add(x, tf.mul(t, tf.sub(h, x)));
    });
  }
}
tf.serialization.registerClass(HighwayGate);
