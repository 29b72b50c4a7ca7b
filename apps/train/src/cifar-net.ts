/**
 * CIFAR ResNets and plain nets with chosen stage widths (and inputs smaller
 * than 32×32, for tests). @resnet/zoo builds them at the paper's fixed widths
 * 16/32/64; the quick degradation recipe needs narrower ones to fit a 2-core
 * CPU, so this mirrors the zoo's CIFAR builder layer for layer (same
 * @resnet/blocks basic blocks, torchvision names, option-A zero-pad shortcuts,
 * Kaiming fan-out init, PyTorch Linear init) with `widths` as a parameter.
 */
import * as tf from '@tensorflow/tfjs';
import { basicBlock, KaimingNormal } from '@resnet/blocks';

/** Options of {@link buildCifarNet}. */
export interface CifarNetOptions {
  /** Stage widths (paper: 16, 32, 64). */
  widths: number[];
  /** [height, width, channels]. */
  inputShape: [number, number, number];
  /** Classes. */
  numClasses: number;
}

/** Builds `resnet<depth>` (residual) or `plain<depth>` with the given widths. */
export function buildCifarNet(depth: number, residual: boolean, o: CifarNetOptions): tf.LayersModel {
  const name = `${residual ? 'resnet' : 'plain'}${depth}`;
  if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) throw new Error(`${name}: depth must be 6n + 2 (20, 32, 44, 56, …), got ${depth}`);
  if (o.widths.length !== 3 || o.widths.some((w) => !Number.isInteger(w) || w < 1)) throw new Error(`${name}: widths must be three positive integers, got ${o.widths.join(',')}`);
  const n = (depth - 2) / 6;
  const input = tf.input({ shape: o.inputShape, name: 'input' });
  let x = tf.layers
    .conv2d({ filters: o.widths[0]!, kernelSize: 3, padding: 'same', useBias: false, name: 'conv1', kernelInitializer: new KaimingNormal() as never })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ axis: -1, epsilon: 1e-5, momentum: 0.9, name: 'bn1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'relu' }).apply(x) as tf.SymbolicTensor;
  o.widths.forEach((filters, s) => {
    for (let b = 0; b < n; b++) {
      x = basicBlock(x as never, {
        filters,
        strides: b === 0 && s > 0 ? 2 : 1,
        shortcut: residual ? 'zero-pad' : 'none',
        name: `layer${s + 1}.${b}`,
      }) as unknown as tf.SymbolicTensor;
    }
  });
  const pooled = tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as tf.SymbolicTensor;
  const bound = 1 / Math.sqrt(o.widths[2]!);
  const init = () => tf.initializers.randomUniform({ minval: -bound, maxval: bound });
  const fc = tf.layers.dense({ units: o.numClasses, name: 'fc', kernelInitializer: init(), biasInitializer: init() }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: fc, name });
}
