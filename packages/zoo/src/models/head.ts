/** The model's end: classifier, pooled backbone, or feature maps. */
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { Pooling } from './options.js';

/** What {@link finishModel} needs to end a model. */
export interface HeadSpec {
  input: SymbolicTensor;
  /** Last feature map (after any final norm). */
  last: SymbolicTensor;
  /** Stage outputs, for `features: true`. */
  stages: SymbolicTensor[];
  includeTop: boolean;
  pooling: Pooling;
  features: boolean;
  numClasses: number;
  name: string;
}

/**
 * PyTorch's `nn.Linear` default init (kaiming_uniform with a=√5) is
 * U(±1/√fan_in) for both weight and bias.
 */
const linearInit = (fanIn: number) => {
  const b = 1 / Math.sqrt(fanIn);
  return tfl.initializers.randomUniform({ minval: -b, maxval: b });
};

/** Builds the LayersModel for the chosen ending. */
export function finishModel(h: HeadSpec): tfl.LayersModel {
  if (h.features) return tfl.model({ inputs: h.input, outputs: h.stages, name: h.name });
  if (h.includeTop) {
    const pooled = tfl.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(h.last) as SymbolicTensor;
    const fanIn = h.last.shape[3] as number;
    const fc = tfl.layers
      .dense({ units: h.numClasses, name: 'fc', kernelInitializer: linearInit(fanIn), biasInitializer: linearInit(fanIn) })
      .apply(pooled) as SymbolicTensor;
    return tfl.model({ inputs: h.input, outputs: fc, name: h.name });
  }
  let out = h.last;
  if (h.pooling === 'avg') out = tfl.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(out) as SymbolicTensor;
  if (h.pooling === 'max') out = tfl.layers.globalMaxPooling2d({ name: 'maxpool_global' }).apply(out) as SymbolicTensor;
  return tfl.model({ inputs: h.input, outputs: out, name: h.name });
}
