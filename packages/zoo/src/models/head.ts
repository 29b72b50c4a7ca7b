/** The model's end: classifier, pooled backbone, or feature maps. */
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { takeFeatures } from './features.js';
import type { ModelOptions } from './options.js';

/** What {@link finishModel} needs to end a ResNet. */
interface HeadSpec {
  input: SymbolicTensor;
  /** Last feature map of the last stage. */
  last: SymbolicTensor;
  /** The model's options: includeTop, pooling, features, numClasses, name, variant, bnEpsilon, bnMomentum. */
  opts: ModelOptions;
  /** BatchNorm settings the builder resolved (used by the v2 final norm). */
  bnEpsilon: number;
  bnMomentum: number;
  /** Family defaults. */
  defaultClasses: number;
  defaultName: string;
}

/**
 * PyTorch's `nn.Linear` default init (kaiming_uniform with a=√5) is
 * U(±1/√fan_in) for both weight and bias.
 */
export const linearInit = (fanIn: number) => {
  const b = 1 / Math.sqrt(fanIn);
  return tfl.initializers.randomUniform({ minval: -b, maxval: b });
};

/**
 * Ends a ResNet: the final BN + ReLU of pre-activation ('v2') nets (whose blocks
 * end in a conv), then the chosen ending: classifier, pooled backbone, or the
 * feature maps.
 */
export function finishModel(h: HeadSpec): tfl.LayersModel {
  const o = h.opts;
  const name = o.name ?? h.defaultName;
  let last = h.last;
  if (o.variant === 'v2') {
    last = tfl.layers.batchNormalization({ axis: -1, epsilon: h.bnEpsilon, momentum: h.bnMomentum, name: 'norm' }).apply(last) as SymbolicTensor;
    last = tfl.layers.reLU({ name: 'norm_relu' }).apply(last) as SymbolicTensor;
  }
  if (o.features) return takeFeatures(tfl.model({ inputs: h.input, outputs: last, name }), o.features, name);
  if (o.includeTop ?? true) {
    const pooled = tfl.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(last) as SymbolicTensor;
    const fanIn = last.shape[3] as number;
    const fc = tfl.layers
      .dense({ units: o.numClasses ?? h.defaultClasses, name: 'fc', kernelInitializer: linearInit(fanIn), biasInitializer: linearInit(fanIn) })
      .apply(pooled) as SymbolicTensor;
    return tfl.model({ inputs: h.input, outputs: fc, name });
  }
  let out = last;
  if (o.pooling === 'avg') out = tfl.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(out) as SymbolicTensor;
  if (o.pooling === 'max') out = tfl.layers.globalMaxPooling2d({ name: 'maxpool_global' }).apply(out) as SymbolicTensor;
  return tfl.model({ inputs: h.input, outputs: out, name });
}
